package io.jarnn.vmc;

import java.util.Map;

/** Plain gradient descent, optax's {@code sgd} without momentum: {@code d = -learningRate * g}. */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private long steps;

    public Sgd(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate: expected a finite value > 0 but got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public String name() {
        return "sgd";
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
        for (int e = 0; e < g.length; e++) {
            d[e] = -learningRate * g[e];
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, double[]> state() {
        return Map.of();
    }

    @Override
    public void restore(long steps, Map<String, double[]> state) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps: expected >= 0 but got " + steps);
        }
        this.steps = steps;
    }

    @Override
    public String describe() {
        return "sgd(lr=" + learningRate + ")";
    }
}
