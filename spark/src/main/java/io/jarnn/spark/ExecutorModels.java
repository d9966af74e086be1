package io.jarnn.spark;

import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.nn.ExactSampler;

import java.lang.ref.SoftReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The models this JVM (an executor, or the driver in local mode) has read from
 * {@link ModelBytes}, by the SHA-256 of their bytes, with a pool of samplers for each: a
 * sampler owns its caches and scratch and allocates nothing after its first call, but it is not
 * thread-safe, so a task borrows one ({@link Loaded#borrowSampler}) and gives it back, and the
 * next task on this JVM (of this job or a later one) reuses it.
 *
 * <p>At most {@value #CAPACITY} models are kept, the least recently used dropped first (a VMC run
 * broadcasts a new model every step), each through a soft reference, so that a model and its
 * samplers never hold memory the JVM needs.
 */
final class ExecutorModels {
    static final int CAPACITY = 4;
    private static final Map<String, SoftReference<Loaded>> MODELS = new LinkedHashMap<>(16, 0.75f, true);
    private static final Object READING = new Object();

    private ExecutorModels() {
    }

    /** A model and the samplers tasks have given back, by (threads, chunk size). */
    static final class Loaded {
        private final AutoregressiveModel model;
        private final Map<Long, ConcurrentLinkedQueue<ExactSampler>> samplers = new ConcurrentHashMap<>();

        Loaded(AutoregressiveModel model) {
            this.model = model;
        }

        AutoregressiveModel model() {
            return model;
        }

        /** A sampler of the model on {@code threads} with chunks of {@code chunkSize}: a pooled one if any is free. */
        ExactSampler borrowSampler(int threads, int chunkSize) {
            ExactSampler s = pool(threads, chunkSize).poll();
            return s != null ? s : model.withThreads(threads).sampler().withChunkSize(chunkSize);
        }

        /** Gives {@code sampler} (from {@link #borrowSampler} with these arguments) back. */
        void returnSampler(int threads, int chunkSize, ExactSampler sampler) {
            pool(threads, chunkSize).offer(sampler);
        }

        private ConcurrentLinkedQueue<ExactSampler> pool(int threads, int chunkSize) {
            return samplers.computeIfAbsent((long) threads << 32 | chunkSize, k -> new ConcurrentLinkedQueue<>());
        }
    }

    /** The model of {@code sha256}, read with {@code read} if this JVM does not hold it (once, however many tasks ask). */
    static Loaded get(String sha256, Supplier<AutoregressiveModel> read) {
        synchronized (MODELS) {
            Loaded l = held(sha256);
            if (l != null) {
                return l;
            }
        }
        // Read outside the map's lock (a large model takes a while); concurrent tasks wait here, so
        // that a model is read once.
        synchronized (READING) {
            synchronized (MODELS) {
                Loaded l = held(sha256);
                if (l != null) {
                    return l;
                }
            }
            return put(sha256, read.get());
        }
    }

    /** Records {@code model} as the model of {@code sha256} (the driver, which has it already). */
    static Loaded put(String sha256, AutoregressiveModel model) {
        synchronized (MODELS) {
            Loaded l = held(sha256);
            if (l == null) {
                l = new Loaded(model);
                MODELS.put(sha256, new SoftReference<>(l));
                Iterator<Map.Entry<String, SoftReference<Loaded>>> it = MODELS.entrySet().iterator();
                while (MODELS.size() > CAPACITY && it.hasNext()) {
                    it.next();
                    it.remove();
                }
            }
            return l;
        }
    }

    /** The model of {@code sha256} if this JVM still holds it, else null; the caller holds {@link #MODELS}' lock. */
    private static Loaded held(String sha256) {
        SoftReference<Loaded> ref = MODELS.get(sha256);
        return ref == null ? null : ref.get();
    }

    /** How many models this JVM holds (tests). */
    static int size() {
        synchronized (MODELS) {
            MODELS.values().removeIf(r -> r.get() == null);
            return MODELS.size();
        }
    }
}
