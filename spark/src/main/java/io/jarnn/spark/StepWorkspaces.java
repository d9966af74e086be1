package io.jarnn.spark;

import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.EnergyEstimator;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link StepWorkspace}s this JVM (an executor, or the driver in local mode) holds between
 * VMC steps, by (Hamiltonian, model shape, rows): a task borrows one ({@link #borrow}), fills
 * it and gives it back ({@link #giveBack}); the next step's task of the same shape on this JVM
 * takes it again. A workspace is made only when none of its key is free, so a key holds at most
 * as many as tasks ran at once here. At most {@value #CAPACITY} keys are kept, the least recently
 * used dropped first, and every workspace through a soft reference, so that they never hold
 * memory the JVM needs. Thread-safe.
 */
final class StepWorkspaces {
    static final int CAPACITY = 4;
    private static final Map<Key, ArrayDeque<SoftReference<StepWorkspace>>> FREE = new LinkedHashMap<>(16, 0.75f, true);

    private StepWorkspaces() {
    }

    /**
     * What a workspace is for: the Hamiltonian ({@code hamiltonian}, an identity that a step
     * strategy keeps for all its steps: the operator travels as a closure, deserialised anew by
     * every task), the model's configuration (shapes, not parameters) and the rows.
     */
    record Key(String hamiltonian, ARNNConfig config, int rows) {
    }

    /** A free workspace of {@code key}, or a new one for {@code model} with the estimator {@code energies} gives. */
    static StepWorkspace borrow(Key key, AutoregressiveModel model, Supplier<EnergyEstimator> energies) {
        synchronized (FREE) {
            ArrayDeque<SoftReference<StepWorkspace>> free = FREE.get(key);
            while (free != null && !free.isEmpty()) {
                StepWorkspace w = free.pop().get();
                if (w != null) {
                    return w;
                }
            }
        }
        return StepWorkspace.of(model, key.rows(), energies.get());
    }

    /** Gives {@code workspace} (borrowed with {@code key}) back for the next task. */
    static void giveBack(Key key, StepWorkspace workspace) {
        synchronized (FREE) {
            FREE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(new SoftReference<>(workspace));
            Iterator<Map.Entry<Key, ArrayDeque<SoftReference<StepWorkspace>>>> it = FREE.entrySet().iterator();
            while (FREE.size() > CAPACITY && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    /** Workspaces held free (tests). */
    static int free() {
        synchronized (FREE) {
            int n = 0;
            for (ArrayDeque<SoftReference<StepWorkspace>> q : FREE.values()) {
                for (SoftReference<StepWorkspace> r : q) {
                    n += r.get() == null ? 0 : 1;
                }
            }
            return n;
        }
    }

    /** Drops every free workspace (tests). */
    static void clear() {
        synchronized (FREE) {
            FREE.clear();
        }
    }
}
