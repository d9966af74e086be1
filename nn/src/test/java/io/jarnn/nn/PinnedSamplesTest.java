package io.jarnn.nn;

import io.jarnn.core.HilbertSpace;
import io.jarnn.core.Tensor;
import io.jarnn.kernels.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same samples for a seed as before: hashes of the samples and their log-probabilities, for
 * six models (conv1d of dilation 1 and 2, a Fock space, a constrained space, dense, conv2d), a
 * partial chunk and several chunks, on 1 and 2 threads, pinned from the sampler at fa0e83a
 * (site by site, a scalar draw per row). A change of the sampler's loop, of the draw or of the
 * per-site layer steps must leave them alone. The samples are the same for either kernel
 * implementation; the log-probabilities' last bits are not (the vector kernels' exp), so
 * those are pinned per implementation.
 */
class PinnedSamplesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("conv1d-netket-N300", 7, 0xe3544733411a4765L, 0xa67c2bb220cd6945L, 0xa67c2bb220cd6945L),
                Arguments.of("conv1d-netket-N300", 130, 0x79fdd1662f3f38e5L, 0x80ab5fc938fce816L, 0x9a8b991bcdf9bc38L),
                Arguments.of("conv1d-d2-N41", 7, 0x07a1efa65883e37bL, 0xa6256015967ffeedL, 0xa6256015967ffeedL),
                Arguments.of("conv1d-d2-N41", 130, 0x7c3885dbca1c38a5L, 0x790d77a21a9288feL, 0xc46a45a4e46777faL),
                Arguments.of("conv1d-fock-N23", 7, 0x5efbd855c39fa0bbL, 0xa60944f4e397559cL, 0xa60944f4e397559cL),
                Arguments.of("conv1d-fock-N23", 130, 0x98cff8032845c725L, 0x5c1e9fd79fbd7d90L, 0x9f008e740cacb00eL),
                Arguments.of("conv1d-sz0-N20", 7, 0x1c0983cf1d830065L, 0xa6069e674ec47a80L, 0xa6069e6783aab5c1L),
                Arguments.of("conv1d-sz0-N20", 130, 0x01d75308999936e5L, 0x415514d82f845be0L, 0x23f57cba14ce7eb7L),
                Arguments.of("dense-N30", 7, 0xa81a58dc8780b8a5L, 0xa62711d86b3b911dL, 0xa62711d86cf0699dL),
                Arguments.of("dense-N30", 130, 0x320e8d254cc4b265L, 0x6f5ca3fcf5c5eacdL, 0x3f755579ed82db69L),
                Arguments.of("conv2d-N20", 7, 0xb3554905923b19e5L, 0xa60656cae12957ecL, 0xa60656cae12957ecL),
                Arguments.of("conv2d-N20", 130, 0xc84a2d92d40a2be5L, 0x90df1e3b69a75966L, 0xd5e9a5da38d99c23L));
    }

    private static ARNN model(String name) {
        return switch (name) {
            case "conv1d-netket-N300" -> ARNNConv1D.builder(HilbertSpace.spin(0.5, 300)).layers(3).features(16)
                    .kernelSize(3).dilation(1).bias(true).machinePow(2f).build(11);
            case "conv1d-d2-N41" -> ARNNConv1D.builder(HilbertSpace.spin(0.5, 41)).layers(2).features(5)
                    .kernelSize(4).dilation(2).bias(true).machinePow(2f).build(3);
            case "conv1d-fock-N23" -> ARNNConv1D.builder(HilbertSpace.fock(2, 23)).layers(3).features(7)
                    .kernelSize(3).dilation(1).bias(true).machinePow(2f).build(5);
            case "conv1d-sz0-N20" -> ARNNConv1D.builder(HilbertSpace.spin(0.5, 20, 0)).layers(2).features(8)
                    .kernelSize(3).dilation(1).bias(true).machinePow(2f).build(7);
            case "dense-N30" -> ARNNDense.builder(HilbertSpace.spin(0.5, 30)).layers(3).features(12).bias(true)
                    .machinePow(2f).build(13);
            case "conv2d-N20" -> ARNNConv2D.builder(HilbertSpace.spin(0.5, 16)).layers(2).features(6).bias(true)
                    .machinePow(2f).build(17);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A 64-bit polynomial hash of the tensor's float bits (NaNs collapsed to one). */
    private static long hash(Tensor t) {
        long h = 1125899906842597L;
        for (int i = 0; i < t.size(); i++) {
            h = 31 * h + Float.floatToIntBits(t.array()[t.offset() + i]);
        }
        return h;
    }

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("cases")
    void samplesAndLogProbabilitiesAreThoseOfTheEarlierSampler(String name, int n, long samples,
                                                                 long logProbVector, long logProbScalar) {
        ARNN model = model(name);
        boolean scalar = Kernels.active().name().equals("scalar");
        for (int threads = 1; threads <= 2; threads++) {
            DirectSampler sampler = DirectSampler.of(model).withThreads(threads).withChunkSize(n >= 64 ? 32 : 5);
            Samples withLogProbabilities = sampler.sample(n, 42, true);
            String context = name + ", n=" + n + ", threads=" + threads + ", " + Kernels.active().name();
            assertEquals(samples, hash(withLogProbabilities.configurations()), context + ": samples' hash");
            assertEquals(scalar ? logProbScalar : logProbVector, hash(withLogProbabilities.logProbabilities()),
                    context + ": log-probabilities' hash");
            assertEquals(samples, hash(sampler.sample(n, 42, false).configurations()),
                    context + ": samples' hash without log-probabilities");
        }
    }
}
