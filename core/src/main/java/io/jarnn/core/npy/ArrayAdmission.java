package io.jarnn.core.npy;

import io.jarnn.core.DType;
import java.io.IOException;
import java.util.SequencedMap;
import java.util.SequencedSet;

/**
 * Decides which arrays of an {@code .npz} archive are wanted, from their keys and declared
 * shapes, before their data is read: a reader that knows what it expects (a model file knows
 * its parameters' shapes from its configuration) refuses a mismatched entry without inflating
 * a byte of it. One instance per read; {@link NpzArchive#read(java.nio.file.Path, ReadLimits,
 * ArrayAdmission)} calls {@link #texts} once, then {@link #admit(String, int[], DType)} for each
 * array entry.
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

    /**
     * What the reader calls: {@link #admit(String, int[])} with the precision the array will be
     * held in as well ({@link DType#FLOAT64} for a {@code '<f8'} entry, {@link DType#FLOAT32} for
     * every other dtype), so that a reader which cares about memory ({@code dtype.bytes()} per
     * element) or about precision can refuse the entry before its data is inflated. By default
     * the precision is not looked at.
     */
    default void admit(String key, int[] shape, DType dtype) throws IOException {
        admit(key, shape);
    }
}
