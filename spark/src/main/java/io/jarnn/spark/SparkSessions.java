package io.jarnn.spark;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Starting a Spark session for jarnn's jobs, and the checks that turn a master URL that cannot
 * work into one sentence before Spark starts: Spark itself retries an unreachable standalone
 * master for a minute and then reports it among many log lines.
 */
public final class SparkSessions {
    /** How long to try to open a connection to a standalone master before giving up on it. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final String MAX_DIRECT_RESULT_SIZE = "spark.task.maxDirectResultSize";
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,\\s*[1-9][0-9]*)?])?");

    private SparkSessions() {
    }

    /**
     * A session builder for {@code master} (checked by {@link #requireReachable}) with the
     * settings jarnn's jobs want: task results up to 128 MiB sent directly (unless
     * {@code spark.task.maxDirectResultSize} is set already, e.g. by {@code spark-submit --conf}),
     * the Spark UI off in local mode (tests, a laptop), the driver bound to the loopback address
     * in local mode.
     */
    public static SparkSession.Builder builder(String master, String appName) {
        requireReachable(master);
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName);
        if (System.getProperty(MAX_DIRECT_RESULT_SIZE) == null) {
            // A VMC step's share (P x P / 2 doubles) or a block of samples is often over Spark's
            // 1 MiB default; above it a result takes a detour through the block manager (a second
            // round trip per task). Spark caps this at spark.rpc.message.maxSize (128 MiB).
            builder.config(MAX_DIRECT_RESULT_SIZE, "128m");
        }
        if (master.startsWith("local")) {
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "localhost");
        }
        return builder;
    }

    /**
     * Throws an {@link IllegalArgumentException} naming the master unless it is a local master
     * ({@code local}, {@code local[K]}, {@code local[*]}, {@code local[K,F]}), a standalone
     * master {@code spark://host:port[,host:port...]} of which one accepts a connection within
     * 5 s, or another scheme Spark knows ({@code yarn}, {@code k8s://...}), passed through.
     */
    public static void requireReachable(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--master: expected a Spark master URL (local[*], spark://host:7077,"
                    + " yarn, k8s://...) but got nothing");
        }
        if (master.startsWith("local")) {
            if (!LOCAL.matcher(master).matches()) {
                throw new IllegalArgumentException("--master: expected local, local[K], local[*] or local[K,F] but got '"
                        + master + "'");
            }
            return;
        }
        if (!master.startsWith("spark://")) {
            return; // yarn, k8s://, mesos://: their own client reports its own problems
        }
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            InetSocketAddress address = address(master, hostPort);
            try (Socket socket = new Socket()) {
                socket.connect(address, CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                failures.add(hostPort + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + ")");
            }
        }
        throw new IllegalArgumentException("--master: cannot reach the Spark master " + master + ": "
                + String.join(", ", failures));
    }

    private static InetSocketAddress address(String master, String hostPort) {
        try {
            URI uri = new URI("spark://" + hostPort);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("--master: expected spark://HOST:PORT but got '" + master + "'");
            }
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--master: expected spark://HOST:PORT but got '" + master + "'", e);
        }
    }
}
