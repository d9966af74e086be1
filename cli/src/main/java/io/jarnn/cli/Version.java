package io.jarnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into {@code version.properties} at build time. */
final class Version {
    private Version() {
    }

    static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: a missing version is not worth failing for
        }
        return "(unknown version)";
    }
}
