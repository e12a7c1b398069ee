package dev.gan.nn;

/**
 * Max pooling over non-overlapping {@code size x size} windows of NHWC images (stride = size, no padding, sides
 * truncated as DL4J's Truncate mode does). Forward remembers where each maximum came from; backward routes
 * each output's delta there.
 */
public final class MaxPool {

    private final int inH;
    private final int inW;
    private final int channels;
    private final int size;
    private final int outH;
    private final int outW;
    private final int[] argmax;

    public MaxPool(int inH, int inW, int channels, int size, int maxBatch) {
        this.inH = inH;
        this.inW = inW;
        this.channels = channels;
        this.size = size;
        this.outH = inH / size;
        this.outW = inW / size;
        this.argmax = new int[maxBatch * outH * outW * channels];
    }

    public int outputSize(int n) {
        return n * outH * outW * channels;
    }

    /** Each image on its own, so the images are split over gan's threads (see {@link Split}). */
    public void forward(float[] input, int n, float[] output) {
        Split.byRows(n, inH * inW * channels, (firstImage, lastImage) -> {
            for (int b = firstImage; b < lastImage; b++) {
                forwardImage(input, b, output);
            }
        });
    }

    /**
     * The same outputs as {@link #forward} without remembering where the maxima came from, for passes no backward
     * follows: a max per element instead of a compare-and-branch (a coin toss on real activations), which
     * vectorizes.
     */
    public void forwardMaxima(float[] input, int n, float[] output) {
        int c = channels;
        Split.byRows(n, inH * inW * c, (firstImage, lastImage) -> {
            for (int b = firstImage; b < lastImage; b++) {
                int at = b * outH * outW * c;
                int image = b * inH * inW;
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++, at += c) {
                        int first = (image + oh * size * inW + ow * size) * c;
                        System.arraycopy(input, first, output, at, c);
                        for (int kh = 0; kh < size; kh++) {
                            for (int kw = 0; kw < size; kw++) {
                                int from = (image + (oh * size + kh) * inW + ow * size + kw) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    output[at + ch] = Math.max(output[at + ch], input[from + ch]);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    private void forwardImage(float[] input, int b, float[] output) {
        int c = channels;
        int at = b * outH * outW * c;
        int image = b * inH * inW;
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++, at += c) {
                int first = (image + oh * size * inW + ow * size) * c;
                for (int ch = 0; ch < c; ch++) {
                    output[at + ch] = input[first + ch];
                    argmax[at + ch] = first + ch;
                }
                for (int kh = 0; kh < size; kh++) {
                    for (int kw = 0; kw < size; kw++) {
                        int from = (image + (oh * size + kh) * inW + ow * size + kw) * c;
                        for (int ch = 0; ch < c; ch++) {
                            float v = input[from + ch];
                            if (v > output[at + ch]) {
                                output[at + ch] = v;
                                argmax[at + ch] = from + ch;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code inputDelta} (zeroed here) gets each output's delta at its maximum's position: within the output's own
     * image, so the images split over the threads as in forward.
     */
    public void backward(float[] outputDelta, int n, float[] inputDelta) {
        int in = inH * inW * channels;
        int out = outH * outW * channels;
        Split.byRows(n, in, (firstImage, lastImage) -> {
            java.util.Arrays.fill(inputDelta, firstImage * in, lastImage * in, 0f);
            for (int i = firstImage * out; i < lastImage * out; i++) {
                inputDelta[argmax[i]] += outputDelta[i];
            }
        });
    }
}
