package io.jarnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every public method of {@link Kernels} is paired with the test that holds
 * {@link VectorKernels} to {@link ScalarKernels} for it. Adding a kernel to the interface
 * without adding it here (and writing that test) fails this class; so does a pair pointing at
 * a test method that no longer exists.
 */
class KernelCompletenessTest {
    /** Kernels method name -> "TestClass#testMethod" that checks it. */
    private static final Map<String, String> CHECKED_BY = Map.of(
            "name", "KernelSelectionTest#namesTellTheImplementationsApart",
            "accumulateTaps", "AccumulateTapsEquivalenceTest#vectorMatchesTheDocumentedFmaOrderBitForBit",
            "selu", "SeluEquivalenceTest#vectorMatchesScalarAndDouble",
            "logNormalizeRows", "RowNormalisationEquivalenceTest#logNormalizeRowsMatchesScalarAndDouble",
            "probabilityRows", "RowNormalisationEquivalenceTest#probabilityRowsMatchesScalarAndDouble",
            "probabilityColumns", "RowNormalisationEquivalenceTest#probabilityColumnsMatchesScalarAndDouble");

    private static List<Method> kernelMethods() {
        return Arrays.stream(Kernels.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
    }

    @Test
    void everyKernelMethodIsPairedWithAnExistingEquivalenceTest() throws ReflectiveOperationException {
        List<Method> methods = kernelMethods();
        Set<String> names = methods.stream().map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(methods.size(), names.size(),
                "Kernels has overloaded methods " + methods + "; pair each overload with its own test");
        assertEquals(new TreeSet<>(CHECKED_BY.keySet()), names,
                "public methods of Kernels (left: paired with a test here, right: declared by the interface)");
        int checked = 0;
        for (Map.Entry<String, String> pair : CHECKED_BY.entrySet()) {
            String[] target = pair.getValue().split("#");
            Class<?> testClass = Class.forName(Kernels.class.getPackageName() + "." + target[0]);
            List<Method> tests = Arrays.stream(testClass.getDeclaredMethods())
                    .filter(m -> m.getName().equals(target[1]))
                    .filter(m -> m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class))
                    .toList();
            assertEquals(1, tests.size(), pair.getKey() + " is paired with " + pair.getValue()
                    + ", which must be exactly one @Test or @ParameterizedTest method");
            checked++;
        }
        assertEquals(6, checked, "kernel methods paired with an equivalence test");
    }

    @Test
    void implementationsExposeNoPublicKernelOutsideTheInterface() {
        Set<String> interfaceSignatures = kernelMethods().stream()
                .map(KernelCompletenessTest::signature)
                .collect(Collectors.toSet());
        for (Class<?> implementation : List.of(ScalarKernels.class, VectorKernels.class)) {
            for (Method m : implementation.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()
                        && !interfaceSignatures.contains(signature(m))) {
                    fail(implementation.getSimpleName() + " declares public " + signature(m)
                            + ", which is not a Kernels method and so has no equivalence test");
                }
            }
            assertTrue(Kernels.class.isAssignableFrom(implementation), implementation + " implements Kernels");
        }
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
