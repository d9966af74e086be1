package io.jarnn.spark;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Prints the JVM options Spark gives its driver and executors on JDK 17+ (its
 * {@link JavaModuleOptions}: the {@code --add-opens} its internals need, and
 * {@code --add-modules=jdk.incubator.vector}), one per line, for the {@code ./jarnn spark}
 * launcher, which starts the driver JVM itself rather than through spark-submit.
 */
public final class JvmOptions {
    private JvmOptions() {
    }

    public static void main(String[] args) {
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            System.out.println(option);
        }
    }
}
