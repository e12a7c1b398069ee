package dev.gan.sample;

import dev.gan.model.GeneratorFile;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.system.NativeGarbage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Draws images from a trained generator: batched forward passes over noise (and labels) made from a seeded
 * Java RNG, so the same seed gives the same images bit for bit. Images come back as one float array in
 * [0, 1], image after image.
 */
public final class Sampler {

    /** Images per forward pass. */
    public static final int BATCH = 1000;
    /** Batches between collections of G's native garbage when streaming. */
    private static final int GARBAGE_INTERVAL = 20;

    private final ComputationGraph generator;
    private final ModelSpec spec;

    public Sampler(GeneratorFile.Loaded model) {
        this.generator = model.generator();
        this.spec = model.spec();
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * {@code count} images; {@code labels} gives each image's class for a conditional model, or for a plain model
     * with categorical noise each image's category of z (null: drawn at random, the only choice for other plain
     * models). With {@code truncation} > 0, noise components beyond it in absolute value are redrawn.
     */
    public float[] generate(int count, int[] labels, long seed, double truncation) {
        float[] pixels = new float[Math.multiplyExact(count, spec.imageSize())];
        generate(count, labels, seed, truncation, (first, batch, n) ->
                System.arraycopy(batch, 0, pixels, first * spec.imageSize(), n * spec.imageSize()));
        return pixels;
    }

    /** Receives generated images a batch at a time. */
    @FunctionalInterface
    public interface Batches<E extends Exception> {
        /** {@code pixels} holds {@code n} images (and perhaps more room); the first is image {@code first} of the draw. */
        void accept(int first, float[] pixels, int n) throws E;
    }

    /**
     * As {@link #generate(int, int[], long, double)}, the same images for the same seed, handed over a batch at
     * a time so that any count fits in the memory of one batch.
     */
    public <E extends Exception> void generate(int count, int[] labels, long seed, double truncation, Batches<E> sink)
            throws E {
        Random random = new Random(seed);
        float[] pixels = new float[BATCH * spec.imageSize()];
        // G's outputs live in native memory that only a collection frees: without one, a million samples
        // would leave gigabytes behind.
        NativeGarbage garbage = new NativeGarbage(GARBAGE_INTERVAL);
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            int[] chosen = labels == null ? null : java.util.Arrays.copyOfRange(labels, start, start + n);
            float[][] z = noise(n, random, truncation);
            if (chosen != null && !spec.conditional()) {
                setCategories(z, chosen);
                chosen = null;
            }
            forward(z, chosen == null ? null : oneHot(chosen), pixels);
            sink.accept(start, pixels, n);
            garbage.afterIteration(start / BATCH + 1);
        }
    }

    /**
     * An endless stream of a plain model's images for one seed, a batch at a time, with the noise each came from
     * (for keeping some and walking between them). Batches of {@link #BATCH} give the images
     * {@link #generate(int, int[], long, double)} gives for the same seed.
     */
    public ImageDraws draws(long seed, double truncation) {
        if (spec.conditional()) {
            throw new IllegalStateException("draws are for plain models; a cGAN is asked for its digits");
        }
        return new Draws(new Random(seed), truncation);
    }

    /** See {@link #draws}. */
    private final class Draws implements ImageDraws {
        private final Random random;
        private final double truncation;

        private Draws(Random random, double truncation) {
            this.random = random;
            this.truncation = truncation;
        }

        @Override
        public int imageSize() {
            return spec.imageSize();
        }

        @Override
        public float[][] next(int n, float[] pixels) {
            float[][] noise = noise(n, random, truncation);
            forward(noise, null, pixels);
            return noise;
        }
    }

    /** One strip of {@code steps} images per pair, walking from {@code from[w]} to {@code to[w]} (spherically). */
    public float[] interpolateBetween(float[][] from, float[][] to, int steps) {
        float[][] noise = new float[from.length * steps][];
        for (int w = 0; w < from.length; w++) {
            for (int s = 0; s < steps; s++) {
                noise[w * steps + s] = slerp(from[w], to[w], steps == 1 ? 0 : s / (double) (steps - 1));
            }
        }
        return run(noise, null);
    }

    /**
     * {@code walks} strips of {@code steps} images, each walking the latent space from one noise vector to
     * another by spherical interpolation; {@code digit} fixes the label of a conditional model.
     */
    public float[] interpolateLatent(int walks, int steps, int digit, long seed, double truncation) {
        Random random = new Random(seed);
        float[][] noise = new float[walks * steps][];
        for (int w = 0; w < walks; w++) {
            float[][] ends = noise(2, random, truncation);
            for (int s = 0; s < steps; s++) {
                noise[w * steps + s] = slerp(ends[0], ends[1], steps == 1 ? 0 : s / (double) (steps - 1));
            }
        }
        return run(noise, spec.conditional() ? oneHot(constant(walks * steps, digit)) : null);
    }

    /** {@code walks} strips morphing a conditional model's label from {@code from} to {@code to} at fixed noise. */
    public float[] interpolateLabels(int walks, int steps, int from, int to, long seed, double truncation) {
        float[][] walkNoise = noise(walks, new Random(seed), truncation);
        float[][] noise = new float[walks * steps][];
        float[][] labels = new float[walks * steps][];
        for (int w = 0; w < walks; w++) {
            for (int s = 0; s < steps; s++) {
                double t = steps == 1 ? 0 : s / (double) (steps - 1);
                float[] label = new float[spec.numClasses()];
                label[from] += (float) (1 - t);
                label[to] += (float) t;
                noise[w * steps + s] = walkNoise[w];
                labels[w * steps + s] = label;
            }
        }
        return run(noise, labels);
    }

    /** Spherical interpolation between a and b (linear where they are nearly parallel). */
    public static float[] slerp(float[] a, float[] b, double t) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        double cos = dot / Math.sqrt(na * nb);
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        double wa, wb;
        if (Math.abs(Math.sin(omega)) < 1e-6) {
            wa = 1 - t;
            wb = t;
        } else {
            wa = Math.sin((1 - t) * omega) / Math.sin(omega);
            wb = Math.sin(t * omega) / Math.sin(omega);
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    float[][] noise(int count, Random random, double truncation) {
        float[][] noise = new float[count][spec.noiseDim()];
        int continuous = spec.noise().continuousSize(spec.noiseDim());
        for (float[] z : noise) {
            for (int i = 0; i < continuous; i++) {
                double v;
                do {
                    v = spec.noise() == NoiseKind.UNIFORM ? 2 * random.nextDouble() - 1 : random.nextGaussian();
                } while (truncation > 0 && Math.abs(v) > truncation);
                z[i] = (float) v;
            }
            if (continuous < z.length) {
                z[continuous + random.nextInt(z.length - continuous)] = 1f; // the categorical part, one-hot
            }
        }
        return noise;
    }

    /** Each z's categorical part set to its category: after the draw, so the rest of z is as without a choice. */
    private void setCategories(float[][] noise, int[] categories) {
        int continuous = spec.noise().continuousSize(spec.noiseDim());
        if (continuous == spec.noiseDim()) {
            throw new IllegalArgumentException("the model's noise has no categories (trained without --noise categorical)");
        }
        for (int i = 0; i < noise.length; i++) {
            java.util.Arrays.fill(noise[i], continuous, spec.noiseDim(), 0f);
            noise[i][continuous + categories[i]] = 1f;
        }
    }

    private float[][] oneHot(int[] labels) {
        float[][] vectors = new float[labels.length][spec.numClasses()];
        for (int i = 0; i < labels.length; i++) {
            vectors[i][labels[i]] = 1f;
        }
        return vectors;
    }

    private static int[] constant(int count, int value) {
        int[] values = new int[count];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private float[] run(float[][] noise, float[][] labels) {
        int count = noise.length;
        float[] pixels = new float[Math.multiplyExact(count, spec.imageSize())];
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            float[] batch = new float[n * spec.imageSize()];
            forward(slice(noise, start, n), labels == null ? null : slice(labels, start, n), batch);
            System.arraycopy(batch, 0, pixels, start * spec.imageSize(), batch.length);
        }
        return pixels;
    }

    /** Runs G on one batch and puts its images at the start of {@code pixels}. */
    private void forward(float[][] noise, float[][] labels, float[] pixels) {
        int n = noise.length;
        INDArray z = Nd4j.create(noise).castTo(DataType.FLOAT);
        INDArray out = labels == null
                ? generator.outputSingle(false, z)
                : generator.output(false, z, Nd4j.create(labels).castTo(DataType.FLOAT))[0];
        // One copy from native memory straight into place (dup + asFloat + arraycopy were three).
        INDArray rows = out.ordering() == 'c' && !out.isView() && out.length() == (long) n * spec.imageSize()
                ? out : out.dup('c');
        rows.data().asNioFloat().get(pixels, 0, n * spec.imageSize());
    }

    private static float[][] slice(float[][] rows, int start, int n) {
        return java.util.Arrays.copyOfRange(rows, start, start + n);
    }
}
