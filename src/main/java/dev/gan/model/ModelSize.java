package dev.gan.model;

/**
 * How big the two networks of a spec are, computed from the spec alone, before anything is allocated: so a
 * width or noise size that cannot fit is refused with a figure instead of crashing native code. Counts are
 * doubles, which do not overflow where a product of ints would.
 *
 * @param generatorParameters     weights and biases of G
 * @param discriminatorParameters weights and biases of D (built for {@code pack} images per example)
 * @param generatorValues         numbers G holds per image in a forward pass: its input and every layer's output,
 *                                and for the DCGAN the unfolded (im2col) patches of its convolutions
 * @param discriminatorValues     the same for D, per (packed) example
 * @param largestArray            elements of the largest single array either network needs per example, or
 *                                in all (a weight matrix): arrays are indexed by int in places
 */
public record ModelSize(double generatorParameters, double discriminatorParameters, double generatorValues,
                        double discriminatorValues, double largestArray) {

    private static final int KERNEL_AREA = DcganGraphs.KERNEL * DcganGraphs.KERNEL;

    public static ModelSize of(ModelSpec spec, int pack) {
        double image = (double) spec.rows() * spec.cols();
        double labels = spec.conditional() ? spec.numClasses() : 0;
        double in = spec.noiseDim() + labels;
        double width = spec.hidden();
        if (spec.arch() == Architecture.DCGAN) {
            double quarter = image / 16;
            double half = width / 2;
            double projected = width * quarter;
            // DL4J's batch norm keeps four numbers per channel as parameters: gamma, beta, running mean and variance.
            double gParams = in * projected + projected + 4 * projected   // dense, its batch norm
                    + width * half * KERNEL_AREA + half + 4 * half           // first transposed convolution, its batch norm
                    + half * KERNEL_AREA + 1;                                // second, to one channel
            double gValues = in + 2 * projected + 2 * half * image / 4 + image
                    + KERNEL_AREA * (projected + half * image / 4);         // im2col of both transposed convolutions
            double channels = pack + (spec.conditional() ? 1 : 0);
            double dParams = (spec.conditional() ? pack * labels * image + image : 0)
                    + channels * half * KERNEL_AREA + half + half * width * KERNEL_AREA + width + projected + 1;
            double dValues = channels * image + half * image / 4 + projected + 1
                    + KERNEL_AREA * (channels * image / 4 + half * quarter);
            double largest = Math.max(in * projected, Math.max(KERNEL_AREA * channels * image / 4,
                    spec.conditional() ? pack * labels * image : 0));
            return new ModelSize(gParams, dParams, gValues, dValues, largest);
        }
        double dIn = pack * (image + labels);
        double gParams = in * width + width + width * image + image;
        double dParams = dIn * width + width + width + 1;
        return new ModelSize(gParams, dParams, in + width + image, dIn + width + 1,
                Math.max(Math.max(in, image), dIn) * width);
    }
}
