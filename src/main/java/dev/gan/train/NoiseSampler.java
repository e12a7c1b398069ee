package dev.gan.train;

import dev.gan.model.NoiseKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.SplittableRandom;

/** Fills preallocated noise arrays in place from its own seeded ND4J generator (no global RNG state). */
public final class NoiseSampler {

    private final NoiseKind kind;
    private final Random rng;
    /**
     * The categories of {@link NoiseKind#CATEGORICAL}, drawn beside ND4J's generator from the same seed (null for
     * the other kinds, so that their per-iteration reseed allocates nothing).
     */
    private SplittableRandom categories;

    public NoiseSampler(NoiseKind kind, long seed) {
        this.kind = kind;
        this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        this.categories = categoriesFrom(seed);
    }

    public void reseed(long seed) {
        rng.setSeed(seed);
        categories = categoriesFrom(seed);
    }

    private SplittableRandom categoriesFrom(long seed) {
        return kind == NoiseKind.CATEGORICAL ? new SplittableRandom(seed) : null;
    }

    /** Fills {@code target} (one z per row) in place. */
    public INDArray fill(INDArray target) {
        return switch (kind) {
            case GAUSSIAN -> Nd4j.randn(target, rng);
            case UNIFORM -> Nd4j.rand(target, -1.0, 1.0, rng);
            case CATEGORICAL -> oneHotTail(Nd4j.randn(target, rng));
        };
    }

    private INDArray oneHotTail(INDArray z) {
        int first = kind.continuousSize((int) z.columns());
        z.get(NDArrayIndex.all(), NDArrayIndex.interval(first, z.columns())).assign(0);
        for (int row = 0; row < z.rows(); row++) {
            z.putScalar(row, first + categories.nextInt(NoiseKind.CATEGORIES), 1.0);
        }
        return z;
    }
}
