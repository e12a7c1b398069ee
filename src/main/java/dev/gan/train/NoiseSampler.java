package dev.gan.train;

import dev.gan.model.NoiseKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Fills preallocated noise arrays in place from its own seeded ND4J generator (no global RNG state). */
public final class NoiseSampler {

    private final NoiseKind kind;
    private final Random rng;

    public NoiseSampler(NoiseKind kind, long seed) {
        this.kind = kind;
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    public void reseed(long seed) {
        rng.setSeed(seed);
    }

    public INDArray fill(INDArray target) {
        return switch (kind) {
            case GAUSSIAN -> Nd4j.randn(target, rng);
            case UNIFORM -> Nd4j.rand(target, -1.0, 1.0, rng);
        };
    }
}
