package io.jarnn.core.npy;

import java.io.IOException;
import java.util.SequencedMap;
import java.util.SequencedSet;

/**
 * Decides which arrays of an {@code .npz} archive are wanted, from their keys and declared
 * shapes, before their data is read: a reader that knows what it expects (a model file knows
 * its parameters' shapes from its configuration) refuses a mismatched entry without inflating
 * a byte of it. One instance per read; {@link NpzArchive#read(java.nio.file.Path, ReadLimits,
 * ArrayAdmission)} calls {@link #texts} once, then {@link #admit} for each array entry.
 */
public interface ArrayAdmission {
    /** Admits every array (the limits of {@link ReadLimits} still apply). */
    ArrayAdmission ANY = (key, shape) -> {
    };

    /**
     * Called once, before any array is read, with the archive's text entries (e.g. a
     * configuration) and the keys of its arrays, in archive order.
     */
    default void texts(SequencedMap<String, String> texts, SequencedSet<String> arrayKeys) throws IOException {
    }

    /**
     * Returns if an array {@code key} of {@code shape} is wanted; otherwise throws an
     * {@link IOException} naming the key, and the read stops before the array's data.
     */
    void admit(String key, int[] shape) throws IOException;
}
