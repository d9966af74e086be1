package io.jarnn.cli;

import io.jarnn.core.HilbertSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --hamiltonian} and {@code --lattice}: the forms, what they build, and every way to get them wrong. */
class SystemSpecTest {

    /**
     * The command line's {@code XZI} strings reach vmc's PauliStrings in its site form: every
     * coefficient with its sign, each non-identity letter with its site, an all-identity string
     * as a constant.
     */
    @Test
    void pauliStringsReachTheOperatorInSiteForm() {
        assertEquals("0.5 X0 Z1; -1.5 Y1 Y2; -2.0 I0", HamiltonianSpec.Pauli.siteForm(List.of(
                HamiltonianSpec.PauliTerm.of(0.5, "XZI"), HamiltonianSpec.PauliTerm.of(-1.5, "IYY"),
                HamiltonianSpec.PauliTerm.of(-2, "III"))));
    }
    @TempDir
    Path dir;

    @Test
    void latticesOfBothShapesAndBoundaries() {
        assertEquals(new LatticeSpec(LatticeSpec.Kind.CHAIN, 20, false), LatticeSpec.parse("chain:20:open"));
        assertEquals(new LatticeSpec(LatticeSpec.Kind.SQUARE, 4, true), LatticeSpec.parse(" square:4:periodic "));
        assertEquals(20, LatticeSpec.parse("chain:20:open").sites());
        assertEquals(16, LatticeSpec.parse("square:4:open").sites());
        assertEquals("square:4:periodic", LatticeSpec.parse("square:4:periodic").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "chain:20|expected chain:N:open|periodic or square:L:open|periodic (e.g. chain:20:open, square:4:periodic) but got 'chain:20'",
            "ring:20:open|expected the lattice chain or square",
            "chain:x:open|expected an integer 2..1048576 for the number of sites N but got 'x' in 'chain:x:open'",
            "chain:1:open|expected an integer 2..1048576 for the number of sites N but got '1'",
            "square:2000:open|expected an integer 2..1024 for the side L but got '2000'",
            "chain:20:closed|expected the boundary open or periodic but got 'closed' in 'chain:20:closed'"})
    void badLatticesSayWhatWasExpected(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatticeSpec.parse(spec));
        assertTrue(e.getMessage().startsWith(message) || e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void hamiltoniansWithTheirParametersAndDefaults() {
        assertEquals(new HamiltonianSpec.Ising(1, 1), HamiltonianSpec.parse("ising:J=1,h=1"));
        assertEquals(new HamiltonianSpec.Ising(1, 0.5), HamiltonianSpec.parse("ising:h=0.5"));
        assertEquals(new HamiltonianSpec.Ising(-2, 1e-3), HamiltonianSpec.parse("ising: h = 1e-3 , J=-2"));
        assertEquals(new HamiltonianSpec.Heisenberg(1, false), HamiltonianSpec.parse("heisenberg"));
        assertEquals(new HamiltonianSpec.Heisenberg(0.5, true), HamiltonianSpec.parse("heisenberg:J=0.5,marshall"));
        assertEquals(new HamiltonianSpec.BoseHubbard(1, 4, 1, 3, 6),
                HamiltonianSpec.parse("bose-hubbard:t=1,U=4,mu=1,nmax=3,n=6"));
        assertEquals(new HamiltonianSpec.BoseHubbard(1, 4, 0, 2, null), HamiltonianSpec.parse("bose-hubbard:U=4,nmax=2"));
        assertEquals("ising:J=1,h=0.5", HamiltonianSpec.parse("ising:h=.5").describe());
        assertEquals("bose-hubbard:t=1,U=4,mu=0,nmax=2", HamiltonianSpec.parse("bose-hubbard:U=4,nmax=2").describe());
        assertEquals("heisenberg:J=1,marshall", HamiltonianSpec.parse("heisenberg:marshall").describe());
        assertEquals(new HamiltonianSpec.Heisenberg(1, true, 0.0), HamiltonianSpec.parse("heisenberg:marshall,sz=0"));
        assertEquals("heisenberg:J=1,marshall,sz=-1", HamiltonianSpec.parse("heisenberg:marshall,sz=-1").describe());
    }

    @Test
    void theHilbertSpaceFollowsTheHamiltonianAndLattice() {
        LatticeSpec chain = LatticeSpec.parse("chain:6:open");
        assertEquals(HilbertSpace.spin(0.5, 6), HamiltonianSpec.parse("ising:h=1").hilbert(chain));
        assertEquals(HilbertSpace.spin(0.5, 6), HamiltonianSpec.parse("pauli:XXIIII").hilbert(chain));
        assertEquals(HilbertSpace.fock(3, 6, 6), HamiltonianSpec.parse("bose-hubbard:U=4,nmax=3,n=6").hilbert(chain));
        assertEquals(HilbertSpace.spin(0.5, 6, 0), HamiltonianSpec.parse("heisenberg:sz=0").hilbert(chain));
        assertEquals(HilbertSpace.spin(0.5, 6), HamiltonianSpec.parse("heisenberg").hilbert(chain));
        assertEquals(HilbertSpace.fock(3, 16), HamiltonianSpec.parse("bose-hubbard:U=4,nmax=3")
                .hilbert(LatticeSpec.parse("square:4:open")));
    }

    @Test
    void pauliSumsInlineAndFromAFile() throws IOException {
        HamiltonianSpec.Pauli inline = (HamiltonianSpec.Pauli) HamiltonianSpec.parse("pauli:0.5*XXI+ZZI-1.5e0*IIZ-YYI");
        assertNull(inline.file());
        assertEquals(List.of(new HamiltonianSpec.PauliTerm(0.5, "XXI"), new HamiltonianSpec.PauliTerm(1, "ZZI"),
                new HamiltonianSpec.PauliTerm(-1.5, "IIZ"), new HamiltonianSpec.PauliTerm(-1, "YYI")), inline.read());
        assertEquals("pauli:0.5*XXI+1*ZZI-1.5*IIZ-1*YYI", inline.describe());

        Path file = Files.writeString(dir.resolve("h.txt"), "# a comment\n0.5 XXI\n\n-1 ZZI   # trailing\n");
        HamiltonianSpec.Pauli fromFile = (HamiltonianSpec.Pauli) HamiltonianSpec.parse("pauli:" + file);
        assertEquals(file, fromFile.file());
        assertEquals(List.of(new HamiltonianSpec.PauliTerm(0.5, "XXI"), new HamiltonianSpec.PauliTerm(-1, "ZZI")),
                fromFile.read());

        Path bad = Files.writeString(dir.resolve("bad.txt"), "0.5 XXI\n1 ZQI\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ((HamiltonianSpec.Pauli) HamiltonianSpec.parse("pauli:" + bad)).read());
        assertEquals(bad + " line 2: expected a Pauli string of I, X, Y, Z such as XXI but got 'ZQI'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "isin:J=1,h=1|expected ising:J=1,h=1, heisenberg:J=1[,marshall][,sz=0], bose-hubbard:t=1,U=4,mu=1,nmax=3[,n=6], pauli:FILE or pauli:0.5*XXI+ZZI but got 'isin:J=1,h=1'",
            "ising:J=1|expected h=VALUE but got no h in 'ising:J=1'",
            "ising:J=1,h=x|expected a finite decimal number for h but got 'x' in 'ising:J=1,h=x'",
            "ising:J=1,h=NaN|expected a finite decimal number for h but got 'NaN'",
            "ising:h=1,g=2|expected J=VALUE, h=VALUE but got 'g=2' in 'ising:h=1,g=2'",
            "ising:h=1,h=2|expected each parameter once but got h twice",
            "heisenberg:J=1,marshal|expected J=VALUE, sz=VALUE, marshall but got 'marshal'",
            "bose-hubbard:U=4|expected nmax=VALUE but got no nmax",
            "bose-hubbard:U=4,nmax=0|expected an integer >= 1 for nmax but got '0'",
            "bose-hubbard:U=4,nmax=3,n=-1|expected an integer >= 0 for n but got '-1'",
            "pauli:|expected pauli:FILE or a sum of Pauli strings such as pauli:0.5*XXI+ZZI but got nothing after 'pauli:'",
            "pauli:XYI|expected an even number of Y (an odd number makes the matrix elements imaginary) but got 'XYI'",
            "pauli:XXI++ZZI|expected a sum of terms such as 0.5*XXI+ZZI-1.5*IIZ but got 'XXI++ZZI' (at '++ZZI')",
            "pauli:2*XXI3*ZZI|expected a sum of terms such as 0.5*XXI+ZZI-1.5*IIZ but got '2*XXI3*ZZI' (at '3*ZZI')"})
    void badHamiltoniansSayWhatWasExpected(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HamiltonianSpec.parse(spec));
        assertTrue(e.getMessage().startsWith(message), () -> "expected '" + message + "' but got: " + e.getMessage());
    }

    /** Through the commands: one line naming the option, exit status 2, for every command that takes them. */
    @Test
    void badSpecsAreOneLineUsageErrors() {
        for (String command : new String[]{"exact", "train", "energy"}) {
            String[] model = command.equals("energy") ? new String[]{"m.npz"} : new String[0];
            String[] out = command.equals("train") ? new String[]{"--out", dir.resolve("m.npz").toString()} : new String[0];
            Cli.run(concat(concat(concat(new String[]{command}, model), out), "--hamiltonian", "ising:J=1,h=oops",
                    "--lattice", "chain:8:open")).assertFails(Main.USAGE,
                    "jarnn: --hamiltonian: expected a finite decimal number for h but got 'oops' in 'ising:J=1,h=oops'",
                    "(see jarnn " + command + " --help)");
            Cli.run(concat(concat(concat(new String[]{command}, model), out), "--hamiltonian", "ising:h=1",
                    "--lattice", "chain:8")).assertFails(Main.USAGE, "jarnn: --lattice: expected chain:N:open|periodic");
            Cli.run(concat(concat(new String[]{command}, model), "--lattice", "chain:8:open"))
                    .assertFails(Main.USAGE, "missing --hamiltonian SPEC");
        }
    }

    @Test
    void specsThatDoNotFitTheLatticeAreUsageErrors() throws IOException {
        Cli.run("exact", "--hamiltonian", "pauli:XXI+ZZI", "--lattice", "chain:4:open").assertFails(Main.USAGE,
                "jarnn: --hamiltonian: expected Pauli strings of 4 letters, one per site of chain:4:open, but got 'XXI' (3)");
        Cli.run("exact", "--hamiltonian", "bose-hubbard:U=4,nmax=1,n=9", "--lattice", "chain:4:open")
                .assertFails(Main.USAGE, "jarnn: --hamiltonian: ", "(with --lattice chain:4:open)");
        Path bad = Files.writeString(dir.resolve("terms.txt"), "1 XX\n0.5\n");
        Cli.run("exact", "--hamiltonian", "pauli:" + bad, "--lattice", "chain:2:open").assertFails(Main.USAGE,
                "jarnn: --hamiltonian: " + bad + " line 2: expected COEFFICIENT STRING such as 0.5 XXI but got '0.5'");
        Cli.run("exact", "--hamiltonian", "pauli:" + dir.resolve("absent.txt"), "--lattice", "chain:2:open")
                .assertFails(Main.FAILURE, "absent.txt: no such file or directory");
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
