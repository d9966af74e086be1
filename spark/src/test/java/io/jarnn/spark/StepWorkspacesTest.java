package io.jarnn.spark;

import io.jarnn.core.DType;
import io.jarnn.core.HilbertSpace;
import io.jarnn.nn.ARNNConv1D;
import io.jarnn.nn.AutoregressiveModel;
import io.jarnn.vmc.EnergyEstimator;
import io.jarnn.vmc.Lattice;
import io.jarnn.vmc.TransverseFieldIsing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The executors' pool of step workspaces: reuse by key, and its bound. */
class StepWorkspacesTest {
    private static final int SITES = 6;

    private static AutoregressiveModel model() {
        return ARNNConv1D.builder(HilbertSpace.spin(0.5, SITES)).layers(2).features(2).kernelSize(3)
                .dtype(DType.FLOAT64).build64(1);
    }

    private static EnergyEstimator energies() {
        return EnergyEstimator.of(new TransverseFieldIsing(HilbertSpace.spin(0.5, SITES), Lattice.chain(SITES, false), 1, 1));
    }

    @AfterEach
    void empty() {
        StepWorkspaces.clear();
    }

    @Test
    void aWorkspaceGivenBackIsLentAgainForItsKeyOnly() {
        StepWorkspaces.clear();
        AutoregressiveModel m = model();
        StepWorkspaces.Key key = new StepWorkspaces.Key("h", m.config(), 16);
        StepWorkspace first = StepWorkspaces.borrow(key, m, StepWorkspacesTest::energies);
        StepWorkspace second = StepWorkspaces.borrow(key, m, StepWorkspacesTest::energies);
        assertNotSame(first, second, "two tasks at once get two workspaces");
        StepWorkspaces.giveBack(key, first);
        assertSame(first, StepWorkspaces.borrow(key, m, StepWorkspacesTest::energies), "the next task reuses it");
        StepWorkspaces.giveBack(key, first);
        StepWorkspace otherRows = StepWorkspaces.borrow(new StepWorkspaces.Key("h", m.config(), 17), m,
                StepWorkspacesTest::energies);
        assertNotSame(first, otherRows, "another row count gets its own");
        assertEquals(17, otherRows.rows);
        StepWorkspace otherOperator = StepWorkspaces.borrow(new StepWorkspaces.Key("g", m.config(), 16), m,
                StepWorkspacesTest::energies);
        assertNotSame(first, otherOperator, "another Hamiltonian gets its own");
    }

    @Test
    void atMostCapacityKeysAreKeptTheLeastRecentlyUsedDroppedFirst() {
        StepWorkspaces.clear();
        AutoregressiveModel m = model();
        int keys = StepWorkspaces.CAPACITY + 2;
        for (int k = 0; k < keys; k++) {
            StepWorkspaces.Key key = new StepWorkspaces.Key("h" + k, m.config(), 8);
            StepWorkspaces.giveBack(key, StepWorkspaces.borrow(key, m, StepWorkspacesTest::energies));
        }
        assertEquals(StepWorkspaces.CAPACITY, StepWorkspaces.free(), "free workspaces after " + keys + " keys");
        StepWorkspaces.Key newest = new StepWorkspaces.Key("h" + (keys - 1), m.config(), 8);
        StepWorkspace kept = StepWorkspaces.borrow(newest, m, StepWorkspacesTest::energies);
        assertEquals(StepWorkspaces.CAPACITY - 1, StepWorkspaces.free(), "the newest key's workspace was kept and lent");
        StepWorkspaces.giveBack(newest, kept);
    }
}
