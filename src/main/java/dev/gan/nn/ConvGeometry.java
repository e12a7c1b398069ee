package dev.gan.nn;

/**
 * Where a square-kernel convolution's taps fall: an input of {@code inH x inW x channels} (NHWC), a kernel of
 * {@code kernel x kernel}, a stride and a zero padding at the top and left, giving {@code outH x outW} outputs.
 * A transposed convolution has the same geometry read the other way: its input is this geometry's output.
 *
 * <p>The im2col matrix ({@link Patches}) has one row per output position (batch, row, column) and
 * {@code kernel*kernel*channels} columns in (tap row, tap column, channel) order.
 */
public record ConvGeometry(int inH, int inW, int channels, int outH, int outW, int kernel, int stride, int pad) {

    public ConvGeometry {
        if (inH < 1 || inW < 1 || channels < 1 || outH < 1 || outW < 1 || kernel < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("bad convolution geometry " + inH + "x" + inW + "x" + channels + " -> "
                    + outH + "x" + outW + ", kernel " + kernel + ", stride " + stride + ", pad " + pad);
        }
    }

    /**
     * The geometry DL4J calls "Same" for an even kernel and stride 2 on even sides (the DCGAN's 4x4 layers):
     * sides halve and the padding is (kernel - 2) / 2 on each side.
     */
    public static ConvGeometry halving(int inH, int inW, int channels, int kernel) {
        return new ConvGeometry(inH, inW, channels, inH / 2, inW / 2, kernel, 2, (kernel - 2) / 2);
    }

    /** Columns of the im2col matrix. */
    public int patch() {
        return kernel * kernel * channels;
    }

    /** Rows of the im2col matrix for {@code n} images. */
    public int rows(int n) {
        return n * outH * outW;
    }

    /** Floats of one input image. */
    public int inputSize() {
        return inH * inW * channels;
    }

    /** Rows of the zero-padded input: every row a tap reaches. */
    int paddedH() {
        return (outH - 1) * stride + kernel;
    }

    /** Columns of the zero-padded input. */
    int paddedW() {
        return (outW - 1) * stride + kernel;
    }
}
