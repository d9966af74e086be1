package io.jarnn.kernels;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel of {@link Kernels}, found by reflection, has a case among those the equivalence
 * tests of this module run, and that case really calls it ({@link KernelCompleteness}). Adding
 * a kernel to the interface without a case fails here; so does a case that calls another kernel
 * than the one it names. The property suite runs the same check over its generators.
 */
class KernelCompletenessTest {

    @Test
    void everyKernelHasAnEquivalenceCaseThatCallsIt() {
        KernelCompleteness.assertEveryKernelHasACase("the kernel unit tests", Stream.of(
                        AccumulateTapsEquivalenceTest.equivalenceCases(),
                        ConvolveFromBiasEquivalenceTest.equivalenceCases(),
                        SeluEquivalenceTest.equivalenceCases(),
                        RowNormalisationEquivalenceTest.equivalenceCases())
                .flatMap(s -> s));
    }

    @Test
    void everyBackwardKernelHasAnEquivalenceCaseThatCallsIt() {
        KernelCompleteness.assertEveryKernelHasACase("the backward kernel unit tests", BackwardKernels.class,
                BackwardEquivalenceTest.equivalenceCases());
    }

    @Test
    void implementationsExposeNoPublicKernelOutsideTheInterface() {
        Set<String> interfaceSignatures = Stream.of(Kernels.class, BackwardKernels.class)
                .flatMap(i -> Arrays.stream(i.getMethods()))
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(KernelCompletenessTest::signature)
                .collect(Collectors.toSet());
        for (Class<?> implementation : List.of(ScalarKernels.class, VectorKernels.class)) {
            for (Method m : implementation.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()
                        && !interfaceSignatures.contains(signature(m))) {
                    fail(implementation.getSimpleName() + " declares public " + signature(m)
                            + ", which is not a Kernels or BackwardKernels method and so has no equivalence case");
                }
            }
            assertTrue(Kernels.class.isAssignableFrom(implementation), implementation + " implements Kernels");
            assertTrue(BackwardKernels.class.isAssignableFrom(implementation),
                    implementation + " implements BackwardKernels");
        }
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
