package io.jarnn.benchmarks;

/**
 * JVM flags every benchmark fork gets, through {@code @Fork(jvmArgsAppend = ...)} on each class.
 *
 * <p>The fork runs on the class path of the shaded jar, so the incubator module must be added
 * again (JMH copies the host JVM's flags only when none are given). The heap is fixed and
 * pre-touched so that no measurement pays for growing or first-touching it: the largest case,
 * the dense layer with N*features = 4096, holds a 4096 x 4096 float kernel twice (random and
 * masked, 64 MiB each), EJML's copy of it and (batch 1024) 16 MiB inputs and outputs, well
 * under 1 GiB; 2 GiB leaves the collector idle.
 */
public final class ForkFlags {
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    public static final String HEAP_MIN = "-Xms2g";
    public static final String HEAP_MAX = "-Xmx2g";
    public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    private ForkFlags() {
    }
}
