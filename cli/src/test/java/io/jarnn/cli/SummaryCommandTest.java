package io.jarnn.cli;

import io.jarnn.core.npy.NpzArchive;
import io.jarnn.io.ModelConfigJson;
import io.jarnn.nn.ARNN;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheModelSummaryTable() throws IOException {
        ARNN model = ModelFixtures.conv();
        Path file = ModelFixtures.save(dir, "model.npz", model);
        Cli r = Cli.run("summary", file.toString(), "--batch", "16").assertOk();
        assertEquals(model.summary(16).toString(), r.out());
        assertTrue(r.out().contains("float32[16,8,1]"), r.out());
        assertEquals(model.summary(1).toString(), Cli.run("summary", file.toString()).assertOk().out());
    }

    @Test
    void badArgumentsAndFilesFailWithOneLine() throws IOException {
        Cli.run("summary").assertFails(Main.USAGE, "missing MODEL");
        Path file = ModelFixtures.save(dir, "model.npz", ModelFixtures.conv());
        Cli.run("summary", file.toString(), "--batch", "0").assertFails(Main.USAGE, "--batch: expected an integer 1..2147483647 but got '0'");
        Cli.run("summary", dir.resolve("absent.npz").toString())
                .assertFails(Main.FAILURE, "absent.npz: no such file or directory");
        Cli.run("summary", dir.toString()).assertFails(Main.FAILURE, dir.toString(), "directory");
        Path cut = ModelFixtures.truncated(dir, ModelFixtures.conv());
        Cli.run("summary", cut.toString()).assertFails(Main.FAILURE, cut.toString(), "truncated or corrupt");
        Path text = Files.writeString(dir.resolve("notes.npz"), "hello");
        Cli.run("summary", text.toString()).assertFails(Main.FAILURE, "notes.npz: expected a zip archive");
    }

    @Test
    void aPlainNetKetFileIsNotAModelFile() throws IOException {
        Path params = dir.resolve("netket.npz");
        NpzArchive.write(params, ModelFixtures.conv().parameters());
        Cli.run("summary", params.toString()).assertFails(Main.FAILURE, "netket.npz: expected a jarnn model file",
                "jarnn init --params");
    }

    @Test
    void aModelFileWithABadConfigurationNamesTheField() throws IOException {
        Path file = dir.resolve("model.npz");
        ARNN model = ModelFixtures.conv();
        NpzArchive.write(file, model.parameters(), Map.of("jarnn-config.json",
                ModelConfigJson.write(model.config()).replaceFirst("\"bias\": true", "\"bias\": 1")));
        Cli.run("summary", file.toString()).assertFails(Main.FAILURE, "model.npz, jarnn-config.json: layers[0].bias: "
                + "expected true or false");
    }
}
