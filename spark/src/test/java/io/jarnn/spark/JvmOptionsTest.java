package io.jarnn.spark;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests' JVM (surefire's argLine, the pom's spark.jvm.args) carries every option Spark's
 * launcher gives a driver and executors, so the tests run Spark as spark-submit would; a new
 * Spark version that needs another option fails here, naming it.
 */
class JvmOptionsTest {
    @Test
    void theTestJvmHasEveryOptionSparkGivesItsExecutors() {
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            assertTrue(arguments.contains(option), "spark.jvm.args lacks " + option + " (JavaModuleOptions)");
        }
        assertTrue(JavaModuleOptions.defaultModuleOptions().contains("--add-modules=jdk.incubator.vector"));
    }
}
