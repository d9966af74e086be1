package io.jarnn.io;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConfig;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.ARNNConv2D;
import io.jarnn.nn.ARNNDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigJsonTest {
    private static final String CONV = """
            {
              "format": "jarnn-model",
              "version": 2,
              "hilbert": {"type": "spin", "s": 0.5, "N": 100},
              "layers": [
                {"type": "MaskedConv1D", "features": 16, "kernelSize": 3, "dilation": 2, "bias": true},
                {"type": "MaskedConv1D", "features": 16, "kernelSize": 3, "dilation": 2, "bias": true},
                {"type": "MaskedConv1D", "features": 2, "kernelSize": 3, "dilation": 2, "bias": true}
              ],
              "machinePow": 2.0,
              "dtype": "float32"
            }
            """;

    /** The same model in version 1, NetKet's constructor arguments, as jarnn wrote until 2026-12. */
    private static final String CONV_VERSION_1 = """
            {
              "format": "jarnn-model",
              "version": 1,
              "kind": "conv1d",
              "hilbert": {"type": "spin", "s": 0.5, "N": 100},
              "layers": 3,
              "features": [16, 16, 2],
              "kernelSize": 3,
              "dilation": 2,
              "bias": true,
              "machinePow": 2.0
            }
            """;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(ARNNConv1D.builder(HilbertSpace.spin(0.5, 100)).layers(3).features(16).kernelSize(3)
                        .dilation(2).config()),
                Arguments.of(ARNNDense.builder(HilbertSpace.spin(1, 20)).layers(2).features(7).bias(false)
                        .machinePow(0.7f).config()),
                Arguments.of(ARNNDense.builder(HilbertSpace.spin(1.5, 3)).layers(3).features(5, 9, 4).config()),
                Arguments.of(ARNNConv1D.builder(HilbertSpace.fock(3, 20)).layers(1).features(4).kernelSize(2).config()),
                Arguments.of(ARNNConv2D.builder(HilbertSpace.spin(0.5, 64)).layers(3).features(16).kernelSize(3, 2).config()),
                Arguments.of(ARNNConv2D.builder(HilbertSpace.spin(1, 25, 0)).layers(2).features(5).kernelSize(2, 5)
                        .dilation(2, 3).bias(false).machinePow(0.5f).config()),
                Arguments.of(ARNNDense.builder(HilbertSpace.ofLocalValues(10, -1f, 0f, 1f, 0.1f, 3e-8f))
                        .layers(2).features(6).machinePow(1.0000001f).config()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void writtenConfigReadsBackEqual(ARNNConfig config) {
        String json = ModelConfigJson.write(config);
        ARNNConfig back = ModelConfigJson.read(json);
        assertEquals(config, back, json);
        assertEquals(config.toString(), back.toString(), json);
        assertEquals(Float.floatToIntBits(config.machinePow()), Float.floatToIntBits(back.machinePow()), json);
    }

    @Test
    void writesTheDocumentedSchema() {
        ARNNConfig config = ARNNConv1D.builder(HilbertSpace.spin(0.5, 100)).layers(3).features(16).kernelSize(3)
                .dilation(2).config();
        assertEquals(CONV, ModelConfigJson.write(config));
    }

    @Test
    void denseAndOtherHilbertSpacesAreWrittenWithTheirOwnFields() {
        String json = ModelConfigJson.write(ARNNDense.builder(HilbertSpace.fock(3, 20)).layers(2).features(8)
                .bias(false).config());
        assertTrue(json.contains("{\"type\": \"MaskedDense1D\", \"features\": 8, \"bias\": false}"), json);
        assertTrue(json.contains("\"hilbert\": {\"type\": \"fock\", \"nMax\": 3, \"N\": 20}"), json);
        assertTrue(!json.contains("kernelSize") && !json.contains("dilation"), json);
        assertTrue(json.contains("\"bias\": false"), json);
        String values = ModelConfigJson.write(ARNNDense.builder(HilbertSpace.ofLocalValues(10, -1, 0, 1)).layers(1)
                .config());
        assertTrue(values.contains("{\"type\": \"values\", \"values\": [-1.0, 0.0, 1.0], \"N\": 10}"), values);
    }

    @Test
    void conv2dLayersRecordTheirKindKernelAndDilation() {
        ARNNConfig config = ARNNConv2D.builder(HilbertSpace.spin(0.5, 16)).layers(2).features(8).kernelSize(3, 2)
                .dilation(1, 2).config();
        String json = ModelConfigJson.write(config);
        assertTrue(json.contains("{\"type\": \"MaskedConv2D\", \"features\": 8, \"kernelSize\": [3, 2], "
                + "\"dilation\": [1, 2], \"bias\": true}"), json);
        assertEquals(config, ModelConfigJson.read(json));
        String[][] broken = {
                {"\"kernelSize\": [3, 2]", "\"kernelSize\": [3]", "layers[0].kernelSize: expected [height, width], two integers, but got 1"},
                {"\"kernelSize\": [3, 2]", "\"kernelSize\": 3", "layers[0].kernelSize: expected an array"},
                {"\"kernelSize\": [3, 2]", "\"kernelSize\": [1, 1]", "layers[0].kernelSize: expected (h, w) both >= 1 and not (1, 1)"},
                {"\"dilation\": [1, 2]", "\"dilation\": [1, 0]", "layers[0].kernelDilation: expected (dh, dw) both >= 1"},
                {"\"N\": 16", "\"N\": 15", "layers[0].sites: expected N = L * L"}};
        for (String[] b : broken) {
            assertTrue(json.contains(b[0]), b[0]);
            String bad = json.replaceFirst(Pattern.quote(b[0]), Matcher.quoteReplacement(b[1]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigJson.read(bad));
            assertTrue(e.getMessage().startsWith(b[2]), "expected '" + b[2] + "...' but got: " + e.getMessage());
        }
    }

    /** Each case replaces the first {@code from} in the valid conv document with {@code to}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "missing field       | `\"machinePow\": 2.0`        | `\"machinePoww\": 2.0`           | machinePow: expected this field but it is missing",
            "unknown field       | `\"machinePow\": 2.0`        | `\"machinePow\": 2.0, \"biass\": 1` | biass: unknown field",
            "unknown layer field | `\"bias\": true}`            | `\"bias\": true, \"pad\": 0}`      | layers[0].pad: unknown field",
            "unknown hilbert fld | `\"N\": 100}`                 | `\"N\": 100, \"pbc\": true}`       | hilbert.pbc: unknown field",
            "int as string       | `\"features\": 16`           | `\"features\": \"16\"`            | layers[0].features: expected an integer in int range but got the string \"16\"",
            "fractional int      | `\"features\": 16`           | `\"features\": 16.0`             | layers[0].features: expected an integer in int range but got the number 16.0",
            "int overflow        | `\"features\": 16`           | `\"features\": 3000000000`       | layers[0].features: expected an integer in int range",
            "bool as int         | `\"bias\": true`              | `\"bias\": 1`                      | layers[0].bias: expected true or false but got the number 1",
            "layer not object    | `{\"type\": \"MaskedConv1D\", \"features\": 16, \"kernelSize\": 3, \"dilation\": 2, \"bias\": true}` | `16` | layers[0]: expected an object but got the number 16",
            "layers not list     | `\"layers\": [`               | `\"layers\": 3, \"x\": [`          | layers: expected an array but got the number 3",
            "widths do not chain | `\"features\": 2`            | `\"features\": 3`                | layers[2].out: expected the local size 2",
            "no layers           | `\"layers\": [`               | `\"layers\": [], \"x\": [`         | layers: expected at least one layer but got none",
            "machinePow infinite | `2.0`                         | `1e39`                             | machinePow: expected a finite float32 number but got the number 1e39",
            "machinePow zero     | `\"machinePow\": 2.0`        | `\"machinePow\": 0`              | machinePow: expected a finite value > 0",
            "layer type          | `\"MaskedConv1D\"`            | `\"MaskedRNN\"`                  | layers[0].type: expected \"MaskedDense1D\", \"MaskedConv1D\" or \"MaskedConv2D\" but got \"MaskedRNN\"",
            "dense kernel size   | `\"MaskedConv1D\"`            | `\"MaskedDense1D\"`              | layers[0].kernelSize: unknown field",
            "kernel size 1       | `\"kernelSize\": 3`           | `\"kernelSize\": 1`              | layers[0].kernelSize: expected >= 2",
            "dilation 0          | `\"dilation\": 2`             | `\"dilation\": 0`                | layers[0].dilation: expected >= 1 but got 0",
            "format              | `\"jarnn-model\"`             | `\"npz\"`                          | format: expected \"jarnn-model\" but got \"npz\"",
            "newer version       | `\"version\": 2`              | `\"version\": 3`                   | version: expected 1 or 2 but got 3 (written by a newer jarnn?)",
            "hilbert type        | `\"type\": \"spin\"`          | `\"type\": \"qubit\"`              | hilbert.type: expected \"spin\", \"fock\" or \"values\" but got \"qubit\"",
            "spin s              | `\"s\": 0.5`                  | `\"s\": 0.3`                       | hilbert.s: expected a positive multiple of 1/2",
            "spin N              | `\"N\": 100`                  | `\"N\": 0`                         | hilbert.N: expected at least 1 site",
            "total unreachable   | `\"N\": 100}`                 | `\"N\": 100, \"totalSz\": 0.5}`  | hilbert.totalSz: expected one of -50, -49, ..., 50 for Spin(s=1/2, N=100) but got 0.5",
            "totalSz as string   | `\"N\": 100}`                 | `\"N\": 100, \"totalSz\": \"0\"}`  | hilbert.totalSz: expected a finite number but got the string",
            "nParticles on spin  | `\"N\": 100}`                 | `\"N\": 100, \"nParticles\": 3}` | hilbert.nParticles: unknown field",
            "hilbert not object  | `{\"type\": \"spin\", \"s\": 0.5, \"N\": 100}` | `[]`              | hilbert: expected an object but got an array",
            "not JSON            | `\"version\": 2,`             | `\"version\": 2,,`                 | invalid JSON at line 3, column 16",
            "dtype unknown       | `\"float32\"`                 | `\"float16\"`                      | dtype: expected float32 or float64 but got 'float16'",
            "dtype not a string  | `\"float32\"`                 | `64`                               | dtype: expected a string",
    })
    void rejectsSchemaViolationsNamingTheField(String name, String from, String to, String expected) {
        assertTrue(CONV.contains(from), "test setup: '" + from + "' not in the document");
        String json = CONV.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigJson.read(json));
        assertTrue(e.getMessage().startsWith(expected.split(" ")[0]), () -> "expected a message starting with the field '"
                + expected.split(" ")[0] + "' but got: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void readsVersion1AsTheSameConfiguration() {
        assertEquals(ModelConfigJson.read(CONV), ModelConfigJson.read(CONV_VERSION_1));
        ARNNConfig dense = ARNNDense.builder(HilbertSpace.spin(1, 20)).layers(2).features(7).bias(false)
                .machinePow(0.7f).config();
        assertEquals(dense, ModelConfigJson.read("""
                {"format": "jarnn-model", "version": 1, "kind": "dense", "hilbert": {"type": "spin", "s": 1.0, "N": 20},
                 "layers": 2, "features": [7, 3], "bias": false, "machinePow": 0.7}"""));
    }

    /** Each case replaces {@code from} in the valid version 1 document with {@code to}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "features length     | `[16, 16, 2]`                 | `[16, 2]`                          | features: expected a list of length layers=3",
            "features last       | `[16, 16, 2]`                 | `[16, 16, 3]`                      | features: expected the last entry to be the local size 2",
            "kind                | `\"conv1d\"`                  | `\"rnn\"`                          | kind: expected \"dense\" or \"conv1d\" but got \"rnn\"",
            "dense kernel size   | `\"conv1d\"`                  | `\"dense\"`                        | kernelSize: only a conv1d model has one",
            "kernel size 1       | `\"kernelSize\": 3`           | `\"kernelSize\": 1`                | kernelSize: expected >= 2",
            "unknown field       | `\"bias\": true,`             | `\"bias\": true, \"biass\": 1,`    | biass: unknown field",
    })
    void rejectsVersion1SchemaViolationsNamingTheField(String name, String from, String to, String expected) {
        assertTrue(CONV_VERSION_1.contains(from), "test setup: '" + from + "' not in the document");
        String json = CONV_VERSION_1.replace(from, to);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigJson.read(json));
        assertTrue(e.getMessage().startsWith(expected), () -> "expected a message starting '" + expected + "' but got: "
                + e.getMessage());
    }

    @Test
    void rejectsATopLevelValueThatIsNotAnObject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigJson.read("[1]"));
        assertEquals("expected a JSON object at the top level but got an array", e.getMessage());
    }

    @Test
    void constrainedSpacesAreWrittenAndReadBack() {
        for (HilbertSpace h : java.util.List.of(HilbertSpace.spin(0.5, 20, 0), HilbertSpace.spin(1.5, 3, -2.5),
                HilbertSpace.fock(3, 8, 8))) {
            ARNNConfig config = ARNNDense.builder(h).layers(2).features(4).config();
            String json = ModelConfigJson.write(config);
            assertEquals(config, ModelConfigJson.read(json), json);
            assertEquals(h, ModelConfigJson.read(json).hilbert(), json);
        }
        String spin = ModelConfigJson.write(ARNNDense.builder(HilbertSpace.spin(0.5, 20, 0)).layers(1).config());
        assertTrue(spin.contains("\"hilbert\": {\"type\": \"spin\", \"s\": 0.5, \"N\": 20, \"totalSz\": 0.0}"), spin);
        String fock = ModelConfigJson.write(ARNNDense.builder(HilbertSpace.fock(3, 8, 8)).layers(1).config());
        assertTrue(fock.contains("\"hilbert\": {\"type\": \"fock\", \"nMax\": 3, \"N\": 8, \"nParticles\": 8}"), fock);
        String fockUnreachable = fock.replace("\"nParticles\": 8", "\"nParticles\": 25");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigJson.read(fockUnreachable));
        assertTrue(e.getMessage().startsWith("hilbert.nParticles: expected 0..24"), e.getMessage());
    }

    @Test
    void readsFockAndValuesSpaces() {
        String fock = CONV.replace("{\"type\": \"spin\", \"s\": 0.5, \"N\": 100}", "{\"type\": \"fock\", \"nMax\": 1, \"N\": 7}");
        assertEquals(HilbertSpace.fock(1, 7), ModelConfigJson.read(fock).hilbert());
        String values = CONV.replace("{\"type\": \"spin\", \"s\": 0.5, \"N\": 100}",
                "{\"N\": 5, \"values\": [-1, 1e0], \"type\": \"values\"}");
        assertEquals(HilbertSpace.ofLocalValues(5, -1, 1), ModelConfigJson.read(values).hilbert());
    }

    @Test
    void recordsTheDTypeAndReadsAFileWithoutOneAsFloat32() {
        ARNNConfig float32 = ModelConfigJson.read(CONV);
        ARNNConfig float64 = float32.withDType(DType.FLOAT64);
        String json64 = ModelConfigJson.write(float64);
        assertTrue(json64.contains("\"dtype\": \"float64\""), json64);
        assertEquals(float64, ModelConfigJson.read(json64));
        assertEquals(java.util.Optional.of(DType.FLOAT64), ModelConfigJson.declaredDType(json64));

        String older = CONV.replace(",\n  \"dtype\": \"float32\"", "");
        assertTrue(!older.contains("dtype"), "test setup: the dtype line was not removed");
        assertEquals(float32, ModelConfigJson.read(older));
        assertEquals(DType.FLOAT32, ModelConfigJson.read(older).dtype());
        assertEquals(java.util.Optional.empty(), ModelConfigJson.declaredDType(older));
    }
}
