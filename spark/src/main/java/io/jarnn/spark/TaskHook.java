package io.jarnn.spark;

import org.apache.spark.TaskContext;

import java.io.Serializable;

/**
 * Runs at the start of every task of a jarnn job, on the executor: the tests make a task fail
 * on its first attempt with it, to show that a retried task gives the same result.
 */
@FunctionalInterface
interface TaskHook extends Serializable {
    TaskHook NONE = context -> { };

    void beforeTask(TaskContext context);
}
