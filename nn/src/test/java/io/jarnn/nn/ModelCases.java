package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/** A spread of small models, all three kinds, several spaces, widths, kernel sizes, dilations and machine powers. */
final class ModelCases {
    static final float[] MACHINE_POWS = {1f, 2f, 0.7f};

    private ModelCases() {
    }

    /**
     * Models on spaces of at most 4096 configurations (so they can be enumerated): spin-1/2 on 12
     * sites, spin-1 on 7, Fock(3) on 6 and a space of three arbitrary local values on 5.
     */
    static List<ARNN> enumerable() {
        HilbertSpace spinHalf = HilbertSpace.spin(0.5, 12);
        HilbertSpace spinOne = HilbertSpace.spin(1, 7);
        HilbertSpace fock = HilbertSpace.fock(3, 6);
        HilbertSpace values = HilbertSpace.ofLocalValues(5, -0.5f, 0.25f, 3f); //f64: HilbertSpace values = HilbertSpace.ofLocalValues(5, -0.5f, 0.25f, 3f);
        // Square lattices for ARNNConv2D: 3 x 3 spins-1/2, 2 x 2 spins-1 and Fock(3).
        HilbertSpace spinHalf9 = HilbertSpace.spin(0.5, 9);
        HilbertSpace spinOne4 = HilbertSpace.spin(1, 4);
        HilbertSpace fock4 = HilbertSpace.fock(3, 4);
        List<ARNN> list = new ArrayList<>();
        long seed = 11;
        for (float p : MACHINE_POWS) {
            list.add(Build.model(ARNNDense.builder(spinHalf).layers(2).features(6).machinePow(p), seed++));
            list.add(Build.model(ARNNDense.builder(spinOne).layers(3).features(5).machinePow(p), seed++));
            list.add(Build.model(ARNNDense.builder(fock).layers(2).features(7, 4).bias(false).machinePow(p), seed++));
            list.add(Build.model(ARNNDense.builder(values).layers(1).machinePow(p), seed++));
            list.add(Build.model(ARNNConv1D.builder(spinHalf).layers(3).features(4).kernelSize(3).dilation(2).machinePow(p), seed++));
            list.add(Build.model(ARNNConv1D.builder(spinOne).layers(2).features(6).kernelSize(2).dilation(1).machinePow(p), seed++));
            list.add(Build.model(ARNNConv1D.builder(fock).layers(3).features(9, 3, 4).kernelSize(4).dilation(1)
                    .machinePow(p), seed++));
            list.add(Build.model(ARNNConv1D.builder(values).layers(2).features(5).kernelSize(2).dilation(3).bias(false)
                    .machinePow(p), seed++));
            list.add(Build.model(ARNNConv2D.builder(spinHalf9).layers(3).features(4).kernelSize(3, 2).machinePow(p), seed++));
            list.add(Build.model(ARNNConv2D.builder(spinHalf9).layers(2).features(5).kernelSize(2, 3).dilation(1, 2)
                    .machinePow(p), seed++));
            list.add(Build.model(ARNNConv2D.builder(spinOne4).layers(2).features(3).kernelSize(2, 4).bias(false)
                    .machinePow(p), seed++));
            list.add(Build.model(ARNNConv2D.builder(fock4).layers(3).features(6, 3, 4).kernelSize(1, 3).machinePow(p),
                    seed++));
        }
        return list;
    }

    /** Conditionals of row b, site i, as an array of localSize values. */
    static float[] row(Tensor conditionals, int b, int i) {
        int ls = conditionals.dim(2);
        float[] out = new float[ls];
        for (int k = 0; k < ls; k++) {
            out[k] = conditionals.get(b, i, k);
        }
        return out;
    }
}
