package io.jarnn.vmc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam as optax's {@code adam} (NetKet's {@code nk.optimizer.Adam}), defaults b1 = 0.9,
 * b2 = 0.999, eps = 1e-8 (eps_root = 0). At step t = 1, 2, ...
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2        (m, v start at 0)
 *   m^ = m / (1 - b1^t)            v^ = v / (1 - b2^t)
 *   d = -learningRate * m^ / (sqrt(v^) + eps)
 * </pre>
 * The moments are sized at the first update (or by {@link #restore}); state keys "m", "v".
 */
public final class Adam implements Optimizer {
    public static final double DEFAULT_B1 = 0.9;
    public static final double DEFAULT_B2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    private final double learningRate;
    private final double b1;
    private final double b2;
    private final double eps;
    private long steps;
    private double[] m;
    private double[] v;

    public Adam(double learningRate) {
        this(learningRate, DEFAULT_B1, DEFAULT_B2, DEFAULT_EPS);
    }

    public Adam(double learningRate, double b1, double b2, double eps) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: expected a finite value > 0 but got " + learningRate);
        }
        if (!(b1 >= 0 && b1 < 1)) {
            throw new IllegalArgumentException("b1: expected 0 <= b1 < 1 but got " + b1);
        }
        if (!(b2 >= 0 && b2 < 1)) {
            throw new IllegalArgumentException("b2: expected 0 <= b2 < 1 but got " + b2);
        }
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps: expected a finite value >= 0 but got " + eps);
        }
        this.learningRate = learningRate;
        this.b1 = b1;
        this.b2 = b2;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void update(double[] g, double[] d) {
        if (g.length != d.length) {
            throw new IllegalArgumentException("d: expected " + g.length + " values but got " + d.length);
        }
        if (m == null) {
            m = new double[g.length];
            v = new double[g.length];
        } else if (m.length != g.length) {
            throw new IllegalArgumentException("g: expected " + m.length + " values (the moments' length) but got "
                    + g.length);
        }
        long t = steps + 1;
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int e = 0; e < g.length; e++) {
            m[e] = b1 * m[e] + (1 - b1) * g[e];
            v[e] = b2 * v[e] + (1 - b2) * (g[e] * g[e]);
            double mHat = m[e] / c1;
            double vHat = v[e] / c2;
            d[e] = -learningRate * mHat / (Math.sqrt(vHat) + eps);
        }
        steps = t;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (m != null) {
            out.put("m", m.clone());
            out.put("v", v.clone());
        }
        return out;
    }

    @Override
    public void restore(long steps, Map<String, double[]> state) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected >= 0 but got " + steps);
        }
        double[] sm = state.get("m");
        double[] sv = state.get("v");
        if ((sm == null) != (sv == null) || (sm != null && sm.length != sv.length)) {
            throw new IllegalArgumentException("state: expected Adam moments 'm' and 'v' of one length but got "
                    + state.keySet());
        }
        if (sm == null && steps > 0) {
            throw new IllegalArgumentException("state: expected Adam moments 'm' and 'v' after " + steps
                    + " steps but got none");
        }
        this.steps = steps;
        this.m = sm == null ? null : sm.clone();
        this.v = sv == null ? null : sv.clone();
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate + ", b1=" + b1 + ", b2=" + b2 + ", eps=" + eps + ")";
    }
}
