package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.nn.ARNN;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.LocalEnergies;
import io.jarnn.vmc.TransverseFieldIsing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jarnn exact} and {@code jarnn energy} against values computed here independently. */
class ExactAndEnergyCommandsTest {
    private static final Pattern EXACT = Pattern.compile(
            "exact ground-state energy of (.+): (-?[0-9.]+) \\((-?[0-9.]+) per site\\)\\n  (.+), [0-9.]+ s\\n");
    private static final Pattern ENERGY = Pattern.compile(
            "<H> = (-?[0-9.]+) ± ([0-9.]+)  \\(variance [0-9.e+-]+; ([0-9,]+) exact samples, seed (\\d+), [0-9.]+ s\\)\\n(.*)",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    private static double exact(String hamiltonian, String lattice, String method) {
        String out = Cli.run("exact", "--hamiltonian", hamiltonian, "--lattice", lattice).assertOk().out();
        Matcher m = EXACT.matcher(out);
        assertTrue(m.matches(), out);
        assertTrue(m.group(4).startsWith(method), out);
        return Double.parseDouble(m.group(2));
    }

    /**
     * The critical open chain (J = h = 1, N sites) has E0 = 1 - 1/sin(pi / (4N + 2)) (Pfeuty's
     * spectrum summed in closed form), independent of the SVD the command uses.
     */
    @Test
    void theCriticalIsingChainsEnergyIsPfeutysClosedForm() {
        for (int n : new int[]{2, 6, 20, 101}) {
            double expected = 1 - 1 / Math.sin(Math.PI / (4 * n + 2));
            assertEquals(expected, exact("ising:J=1,h=1", "chain:" + n + ":open", "free fermions, closed form"),
                    1e-11 * n, "N = " + n);
        }
    }

    @Test
    void lanczosAgreesWithTheClosedFormAndPauliStringsWithTheNamedModels() {
        // The same Ising chain, written as Pauli strings: Lanczos on 2^6 states.
        String pauli = "pauli:-ZZIIII-IZZIII-IIZZII-IIIZZI-IIIIZZ-XIIIII-IXIIII-IIXIII-IIIXII-IIIIXI-IIIIIX";
        assertEquals(1 - 1 / Math.sin(Math.PI / 26), exact(pauli, "chain:6:open", "Lanczos on 64 states"), 1e-9);
        // Heisenberg through Y Y: XX + YY + ZZ on every bond of an open chain of 4.
        String bonds = "pauli:XXII+YYII+ZZII+IXXI+IYYI+IZZI+IIXX+IIYY+IIZZ";
        double heisenberg = exact("heisenberg:J=1", "chain:4:open", "Lanczos");
        assertEquals(heisenberg, exact(bonds, "chain:4:open", "Lanczos"), 1e-9);
        // The open Heisenberg chain of 4 (Pauli matrices): -3 - 2 sqrt(3), known in closed form.
        assertEquals(-3 - 2 * Math.sqrt(3), heisenberg, 1e-9);
        assertEquals(heisenberg, exact("heisenberg:J=1,marshall", "chain:4:open", "Lanczos"), 1e-9,
                "Marshall's sign rule leaves the spectrum as it is");
    }

    @Test
    void tooLargeForLanczosIsAOneLineFailure() {
        Cli.run("exact", "--hamiltonian", "heisenberg", "--lattice", "square:5:open").assertFails(Main.FAILURE,
                "jarnn: no exact energy for heisenberg:J=1 on square:5:open: its Hilbert space has 33,554,432 states, "
                        + "more than Lanczos here takes (2^22 = 4,194,304 states)");
    }

    /**
     * {@code energy} of a saved model agrees, within five of its standard errors, with the exact
     * expectation {@code sum_sigma p(sigma) E_loc(sigma)} over all 2^8 configurations.
     */
    @Test
    void theEnergyOfASavedModelIsItsExpectationWithinTheError() throws IOException {
        HilbertSpace hilbert = HilbertSpace.spin(0.5, 8);
        ARNN model = ARNNConv1D.builder(hilbert).layers(2).features(4).kernelSize(3).build(5);
        Path file = ModelFixtures.save(dir, "m.npz", model);
        Tensor all = hilbert.allConfigurations();
        TransverseFieldIsing ising = new TransverseFieldIsing(hilbert, Lattice.chain(8, false), 1, 0.7);
        double[] eLoc = new LocalEnergies(ising, model, all.dim(0)).compute(all);
        Tensor logPsi = model.logPsi(all);
        double expectation = 0;
        for (int r = 0; r < all.dim(0); r++) {
            expectation += Math.exp(2 * logPsi.get(r)) * eLoc[r];
        }
        String out = Cli.run("energy", file.toString(), "--hamiltonian", "ising:h=0.7", "--lattice", "chain:8:open",
                "--samples", "20000", "--seed", "3").assertOk().out();
        Matcher m = ENERGY.matcher(out);
        assertTrue(m.matches(), out);
        double mean = Double.parseDouble(m.group(1));
        double error = Double.parseDouble(m.group(2));
        assertTrue(error > 0 && error < 0.05, out);
        assertEquals(expectation, mean, 5 * error, out);
        assertEquals("20,000", m.group(3));
        assertTrue(m.group(5).startsWith("exact -") && m.group(5).contains("(free fermions, closed form): relative error"),
                out);
        // Reproducible from the seed.
        assertEquals(out.lines().findFirst().orElseThrow().replaceAll(", [0-9.]+ s\\)", ")"),
                Cli.run("energy", file.toString(), "--hamiltonian", "ising:h=0.7", "--lattice", "chain:8:open",
                        "--samples", "20000", "--seed", "3").assertOk().out().lines().findFirst().orElseThrow()
                        .replaceAll(", [0-9.]+ s\\)", ")"));
    }

    @Test
    void aModelOfAnotherSpaceIsRefused() throws IOException {
        Path file = ModelFixtures.save(dir, "m.npz", ModelFixtures.conv());
        Cli.run("energy", file.toString(), "--hamiltonian", "ising:h=1", "--lattice", "chain:6:open").assertFails(
                Main.FAILURE, "m.npz: the model is on Spin(s=1/2, N=8) but ising:J=1,h=1 on chain:6:open acts on "
                        + "Spin(s=1/2, N=6)");
        Cli.run("energy", dir.resolve("absent.npz").toString(), "--hamiltonian", "ising:h=1", "--lattice",
                "chain:8:open").assertFails(Main.FAILURE, "absent.npz: no such file or directory");
    }
}
