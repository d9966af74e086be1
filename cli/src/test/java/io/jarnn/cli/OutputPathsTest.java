package io.jarnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputPathsTest {
    @TempDir
    Path dir;

    @Test
    void filesAreComparedAsFilesNotAsText() throws IOException {
        Path a = Files.writeString(dir.resolve("a.npy"), "a");
        Path b = Files.writeString(dir.resolve("b.npy"), "b");
        assertFalse(OutputPaths.sameFile(a, b));
        assertTrue(OutputPaths.sameFile(a, dir.resolve(".").resolve("a.npy")));
        assertTrue(OutputPaths.sameFile(Files.createSymbolicLink(dir.resolve("link.npy"), a), a));
        assertTrue(OutputPaths.sameFile(a, Files.createLink(dir.resolve("hard.npy"), a)));
        // Not yet existing files are one file when they have one name in one real directory.
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), dir);
        assertTrue(OutputPaths.sameFile(dir.resolve("new.npy"), alias.resolve("new.npy")));
        assertFalse(OutputPaths.sameFile(dir.resolve("new.npy"), alias.resolve("other.npy")));
        assertTrue(OutputPaths.sameFile(a, alias.resolve("a.npy")));
    }

    @Test
    void moreThanTheFileSystemHoldsIsRefusedUpFront() {
        OutputPaths.requireSpace(Map.of(dir.resolve("s.npy"), 1000L));
        CommandFailure e = assertThrows(CommandFailure.class, () -> OutputPaths.requireSpace(Map.of(
                dir.resolve("s.npy"), Long.MAX_VALUE / 2, dir.resolve("lp.npy"), 10L)));
        assertTrue(e.getMessage().matches("cannot write .*\\.npy: it needs 4\\.6 EB but the file system "
                + "has .* free"), e.getMessage());
    }

    @Test
    void sizesReadNaturally() {
        assertEquals("999 bytes", OutputPaths.bytes(999));
        assertEquals("60.1 kB", OutputPaths.bytes(60_128));
        assertEquals("4.0 GB", OutputPaths.bytes(4_000_000_128L));
    }
}
