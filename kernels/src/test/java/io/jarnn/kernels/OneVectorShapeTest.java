package io.jarnn.kernels;

import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every species, vector and mask the kernels keep in a static field has the shape of
 * {@link VectorLanes#FLOATS}: one vector size in the whole library. Why it matters: the Vector
 * API's own methods (intoArray, blend, ...) are shared by every caller, and so is their receiver
 * profile. When a second size of FloatVector ran anywhere (a vector draw that loaded 8 floats
 * on a 256-bit species beside the 512-bit kernels, branch draw8), those profiles turned
 * bimorphic, and C2 compiled a kernel tile (rows4x2: 16 allocations in its loop, seen with
 * CompileCommand=print) with its loop-carried accumulators boxed: the sampler on 2 threads ran
 * 7x slower in one or two JMH forks in five, allocating 2.5 GB per call. A kernel that needs
 * fewer lanes masks them on the one species instead.
 */
class OneVectorShapeTest {

    @Test
    void everyStaticSpeciesVectorAndMaskOfTheKernelsHasTheKernelsShape() throws Exception {
        VectorShape shape = VectorLanes.FLOATS.vectorShape();
        List<String> checked = new ArrayList<>();
        for (Class<?> c : kernelClasses()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object value = f.get(null);
                VectorShape fieldShape = switch (value) {
                    case VectorSpecies<?> s -> s.vectorShape();
                    case Vector<?> v -> v.shape();
                    case VectorMask<?> m -> m.vectorSpecies().vectorShape();
                    case null, default -> null;
                };
                if (fieldShape != null) {
                    assertEquals(shape, fieldShape, c.getSimpleName() + "." + f.getName()
                            + ": every kernel runs on VectorLanes' one shape (mask the lanes it does not need)");
                    checked.add(c.getSimpleName() + "." + f.getName());
                }
            }
        }
        // The check has something to check: the species of both precisions' kernels and maths.
        for (String field : new String[] {"VectorKernels.S", "VectorKernels64.S", "VectorMath.S", "VectorMath64.S",
                "VectorLanes.DOUBLES"}) {
            assertTrue(checked.contains(field), field + " among the checked fields " + checked);
        }
    }

    /** Every class of this package, float32 and float64, nested ones too, from the build's classes. */
    private static List<Class<?>> kernelClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(VectorKernels.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/jarnn/kernels");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = p.getFileName().toString();
                classes.add(Class.forName("io.jarnn.kernels." + name.substring(0, name.length() - ".class".length())));
            }
        }
        assertTrue(classes.size() > 10, "found the kernels' classes in " + dir + ": " + classes);
        return classes;
    }
}
