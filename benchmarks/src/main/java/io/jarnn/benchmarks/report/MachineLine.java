package io.jarnn.benchmarks.report;

import io.jarnn.kernels.Kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The "machine" line of the table: CPU model and SIMD width from /proc/cpuinfo, cores, the JDK
 * of the forks, and the jarnn kernels they selected.
 *
 * <p>The kernels are named by replaying the selection in this JVM with the forks' own
 * {@code -Djarnn.*} flags (taken from the JSON's jvmArgs): the choice depends only on those
 * flags and the CPU's preferred vector species, so on the machine that ran the benchmarks it
 * is the same choice (each benchmark also printed it, and refused to run on scalar kernels).
 */
final class MachineLine {
    private MachineLine() {
    }

    static String describe(RunResult first) {
        return "CPU: " + cpu() + "; cores: " + Runtime.getRuntime().availableProcessors()
                + "; JDK " + first.jdk() + "; JMH " + first.jmhVersion() + "; jarnn kernels: " + kernels(first.jvmArgs());
    }

    private static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = field(lines, "model name");
            String flags = " " + field(lines, "flags") + " ";
            String simd = flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2"
                    : flags.contains(" asimd ") ? "NEON" : "no wide SIMD flag";
            long processors = lines.stream().filter(l -> l.startsWith("processor")).count();
            return model + " (" + simd + ", " + processors + " logical CPUs in /proc/cpuinfo)";
        } catch (IOException e) {
            return "unknown (/proc/cpuinfo unreadable: " + e.getMessage() + ")";
        }
    }

    private static String field(List<String> cpuinfo, String name) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }

    private static String kernels(List<String> forkArgs) {
        for (String arg : forkArgs) {
            if (arg.startsWith("-Djarnn.")) {
                int eq = arg.indexOf('=');
                System.setProperty(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "" : arg.substring(eq + 1));
            }
        }
        return Kernels.active().name();
    }
}
