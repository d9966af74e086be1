package io.jarnn.core.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jarnn.core.Tensor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriteTest {
    @TempDir
    Path dir;

    private List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path existingArchive() throws IOException {
        Path target = dir.resolve("model.npz");
        NpzArchive.write(target, Map.of("w", Tensor.wrap(new float[] {1, 2}, 2)), Map.of("jarnn-config.json", "v1"));
        return target;
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = existingArchive();
        NpzArchive.write(target, Map.of("w", Tensor.wrap(new float[] {3, 4, 5}, 3)));
        assertArrayEquals(new float[] {3, 4, 5}, NpzArchive.read(target).get("w").toArray());
        assertEquals(List.of("model.npz"), listing(dir));

        Path npy = dir.resolve("a.npy");
        Npy.write(npy, Tensor.wrap(new float[] {1}, 1));
        Npy.write(npy, Tensor.wrap(new float[] {2, 3}, 2));
        assertArrayEquals(new float[] {2, 3}, Npy.read(npy).toArray());
        assertEquals(List.of("a.npy", "model.npz"), listing(dir));
    }

    @Test
    void aMapWhoseIterationFailsLeavesTheOldFileIntact() throws IOException {
        Path target = existingArchive();
        byte[] before = Files.readAllBytes(target);
        Map<String, Tensor> failing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Tensor>> iterator() {
                        return Stream.<Entry<String, Tensor>>generate(() -> {
                            throw new IllegalStateException("iteration failed");
                        }).iterator();
                    }

                    @Override
                    public int size() {
                        return 2;
                    }
                };
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NpzArchive.write(target, failing));
        assertEquals("iteration failed", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("model.npz"), listing(dir));
    }

    @Test
    void aFailureHalfwayThroughTheContentDeletesTheTemporaryFile() throws IOException {
        Path target = existingArchive();
        byte[] before = Files.readAllBytes(target);
        IOException failure = new IOException("device full");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]);
            out.flush();
            List<String> during = listing(dir);
            assertEquals(2, during.size(), "the temporary file should exist while writing: " + during);
            assertTrue(during.stream().anyMatch(n -> n.startsWith(".model.npz.") && n.endsWith(".tmp")),
                    during.toString());
            throw failure;
        }));
        assertSame(failure, e);
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("model.npz"), listing(dir));
    }

    @Test
    void aRuntimeFailureInTheContentAlsoCleansUp() throws IOException {
        Path target = existingArchive();
        byte[] before = Files.readAllBytes(target);
        assertThrows(ArithmeticException.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new ArithmeticException("bug");
        }));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("model.npz"), listing(dir));
    }

    @Test
    void aFailedFinalMoveDeletesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "keep");
        assertThrows(IOException.class, () -> Npy.write(target, Tensor.zeros(3)));
        assertEquals(List.of("occupied"), listing(dir));
        assertEquals("keep", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void aPathWithoutFileNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(dir.getRoot(), Tensor.zeros(1)));
        assertTrue(e.getMessage().startsWith("path: expected a file path"), e.getMessage());
    }

    @Test
    void aMissingDirectoryFailsWithoutCreatingAnything() throws IOException {
        Path target = dir.resolve("missing").resolve("model.npz");
        assertThrows(NoSuchFileException.class, () -> NpzArchive.write(target, Map.of("w", Tensor.zeros(1))));
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void anUnwritableDirectoryLeavesTheOldFileIntact() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = existingArchive();
        byte[] before = Files.readAllBytes(target);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // Permission bits do not bind the superuser, so there is nothing to observe as root.
            assumeFalse(Files.isWritable(dir), "running as a user who may write anywhere");
            assertThrows(AccessDeniedException.class, () -> NpzArchive.write(target, Map.of("w", Tensor.zeros(1))));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("model.npz"), listing(dir));
    }
}
