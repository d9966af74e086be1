package io.jarnn.kernels;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one completeness check, used by the kernel unit tests and by the property suite: every
 * kernel of {@link Kernels}, found by reflection, must have an equivalence case in the given
 * suite. A case's claim is not taken on trust: one case per kernel is run through recording
 * wrappers of both implementations, and it must call exactly the kernel it names, on both.
 */
public final class KernelCompleteness {
    private KernelCompleteness() {
    }

    /**
     * The kernels of the interface: its abstract methods except {@code name()}, which computes
     * nothing ({@code KernelSelectionTest} checks it). Overloads would need a case each, which
     * a method name cannot tell apart, so they are refused.
     */
    public static Set<String> kernelMethods() {
        return kernelMethods(Kernels.class);
    }

    /** As {@link #kernelMethods()} for another kernel interface, such as {@link BackwardKernels}. */
    public static Set<String> kernelMethods(Class<?> kernelInterface) {
        Method[] abstractMethods = Arrays.stream(kernelInterface.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()) && !m.getName().equals("name"))
                .toArray(Method[]::new);
        Set<String> names = Arrays.stream(abstractMethods).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(abstractMethods.length, names.size(), kernelInterface.getSimpleName() + " has overloaded methods "
                + Arrays.toString(abstractMethods) + "; give each overload a name of its own or extend this check");
        return names;
    }

    /**
     * Asserts that {@code cases} contain, for every kernel of {@link Kernels}, a case that
     * really calls it. Stops reading {@code cases} as soon as every kernel is found.
     */
    public static void assertEveryKernelHasACase(String suite, Stream<? extends KernelCase> cases) {
        assertEveryKernelHasACase(suite, Kernels.class, cases);
    }

    /**
     * As {@link #assertEveryKernelHasACase(String, Stream)} for the kernels of
     * {@code kernelInterface} ({@link Kernels} or {@link BackwardKernels}).
     */
    public static void assertEveryKernelHasACase(String suite, Class<?> kernelInterface,
                                                 Stream<? extends KernelCase> cases) {
        Set<String> kernels = kernelMethods(kernelInterface);
        Set<String> covered = new TreeSet<>();
        for (Iterator<? extends KernelCase> it = cases.iterator(); it.hasNext() && !covered.equals(kernels); ) {
            KernelCase c = it.next();
            if (!kernels.contains(c.kernel())) {
                fail(suite + ": case " + c + " names kernel '" + c.kernel() + "', which "
                        + kernelInterface.getSimpleName() + " does not declare "
                        + "(kernels: " + kernels + ")");
            }
            if (covered.contains(c.kernel())) {
                continue;
            }
            Set<String> calledByScalar = new TreeSet<>();
            Set<String> calledByVector = new TreeSet<>();
            c.check(recording(ScalarKernels.INSTANCE, calledByScalar), recording(VectorKernels.INSTANCE, calledByVector),
                    1L);
            assertEquals(Set.of(c.kernel()), calledByScalar, suite + ": kernels the case " + c + " called on "
                    + ScalarKernels.INSTANCE.name());
            assertEquals(Set.of(c.kernel()), calledByVector, suite + ": kernels the case " + c + " called on "
                    + VectorKernels.INSTANCE.name());
            covered.add(c.kernel());
        }
        Set<String> missing = new TreeSet<>(kernels);
        missing.removeAll(covered);
        if (!missing.isEmpty()) {
            fail(suite + " has no equivalence case for " + missing + " (kernels of " + kernelInterface.getName() + ": "
                    + kernels + ")");
        }
    }

    /**
     * {@code target} behind a proxy, of both kernel interfaces, that adds the name of every
     * kernel called to {@code called}.
     */
    private static Kernels recording(Kernels target, Set<String> called) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("backward") && method.getParameterCount() == 0) {
                return proxy;
            }
            if (!method.getName().equals("name")) {
                called.add(method.getName());
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[]{Kernels.class, BackwardKernels.class}, handler);
    }
}
