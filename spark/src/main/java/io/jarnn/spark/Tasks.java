package io.jarnn.spark;

import org.apache.spark.TaskContext;

/** What a jarnn task asks of the Spark task it runs in. */
final class Tasks {
    private Tasks() {
    }

    /**
     * Threads a task may use: the cores Spark gave it ({@code spark.task.cpus}, default 1), or 1
     * outside a task. Results never depend on it (the models and the sampler are bitwise the
     * same on any thread count); only the speed does.
     */
    static int threads() {
        TaskContext context = TaskContext.get();
        return context == null ? 1 : Math.max(1, context.cpus());
    }

    static void runHook(TaskHook hook) {
        TaskContext context = TaskContext.get();
        if (hook != null && context != null) {
            hook.beforeTask(context);
        }
    }
}
