package dev.gan.nn;

import java.util.Arrays;

/**
 * Where a square-kernel convolution's taps fall: an input of {@code inH x inW x channels} (NHWC), a kernel of
 * {@code kernel x kernel}, a stride and a zero padding at the top and left, giving {@code outH x outW} outputs.
 * A transposed convolution has the same geometry read the other way: its input is this geometry's output.
 *
 * <p>The im2col matrix has one row per output position (batch, row, column) and {@code kernel*kernel*channels}
 * columns in (tap row, tap column, channel) order, so each tap is one contiguous run of channels.
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

    /** The im2col matrix of {@code n} NHWC images: {@code col} gets {@code rows(n) x patch()} floats. */
    public void gather(float[] input, int n, float[] col) {
        int c = channels;
        int patch = patch();
        int row = 0;
        for (int b = 0; b < n; b++) {
            int image = b * inH * inW;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++, row++) {
                    int at = row * patch;
                    for (int kh = 0; kh < kernel; kh++) {
                        int ih = oh * stride - pad + kh;
                        for (int kw = 0; kw < kernel; kw++, at += c) {
                            int iw = ow * stride - pad + kw;
                            if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) {
                                Arrays.fill(col, at, at + c, 0f);
                            } else if (c == 1) {
                                col[at] = input[image + ih * inW + iw];
                            } else {
                                System.arraycopy(input, (image + ih * inW + iw) * c, col, at, c);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #gather}: {@code output} (n NHWC input-shaped images) = sum of each tap's column. */
    public void scatter(float[] col, int n, float[] output) {
        int c = channels;
        int patch = patch();
        Arrays.fill(output, 0, n * inputSize(), 0f);
        int row = 0;
        for (int b = 0; b < n; b++) {
            int image = b * inH * inW;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++, row++) {
                    int at = row * patch;
                    for (int kh = 0; kh < kernel; kh++) {
                        int ih = oh * stride - pad + kh;
                        for (int kw = 0; kw < kernel; kw++, at += c) {
                            int iw = ow * stride - pad + kw;
                            if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) {
                                continue;
                            }
                            int to = (image + ih * inW + iw) * c;
                            for (int i = 0; i < c; i++) {
                                output[to + i] += col[at + i];
                            }
                        }
                    }
                }
            }
        }
    }
}
