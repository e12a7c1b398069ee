package dev.gan.nn;

import java.util.Arrays;

/** Rearrangements between DL4J's layouts and the kernels' ones, and the row-wise bias passes. */
public final class Layouts {

    private Layouts() {
    }

    /**
     * [a][b][k][k] to [a][k][k][b]: DL4J's convolution weights [out, in, kH, kW] (and transposed convolution
     * weights [in, out, kH, kW]) to the tap-major, channel-last layout of the im2col columns.
     */
    public static float[] tapsLast(float[] src, int a, int b, int k, float[] dst) {
        int taps = k * k;
        for (int i = 0; i < a; i++) {
            int from = i * b * taps;
            int to = i * taps * b;
            for (int j = 0; j < b; j++) {
                for (int t = 0; t < taps; t++) {
                    dst[to + t * b + j] = src[from + j * taps + t];
                }
            }
        }
        return dst;
    }

    /** The inverse of {@link #tapsLast}: [a][k][k][b] to [a][b][k][k]. */
    public static float[] tapsBack(float[] src, int a, int b, int k, float[] dst) {
        int taps = k * k;
        for (int i = 0; i < a; i++) {
            int from = i * taps * b;
            int to = i * b * taps;
            for (int t = 0; t < taps; t++) {
                for (int j = 0; j < b; j++) {
                    dst[to + j * taps + t] = src[from + t * b + j];
                }
            }
        }
        return dst;
    }


    /** n images of [c][hw] (NCHW flattened) to [hw][c] (NHWC), or back with {@code toChannelsLast} false. */
    public static void transpose(float[] src, int n, int c, int hw, float[] dst, boolean toChannelsLast) {
        int size = c * hw;
        Split.byRows(n, size, (first, last) -> {
            for (int b = first; b < last; b++) {
                int base = b * size;
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < hw; p++) {
                        if (toChannelsLast) {
                            dst[base + p * c + ch] = src[base + ch * hw + p];
                        } else {
                            dst[base + ch * hw + p] = src[base + p * c + ch];
                        }
                    }
                }
            }
        });
    }

    /**
     * n images of {@code channels} planes of {@code pixels} (NCHW) into channels [first, first + channels) of
     * NHWC images of {@code width} channels, the other channels left as they are.
     */
    public static void interleave(float[] src, int n, int channels, int pixels, float[] dst, int width, int first) {
        Split.byRows(n, channels * pixels, (from, to) -> {
            for (int e = from; e < to; e++) {
                int base = e * width * pixels + first;
                for (int ch = 0; ch < channels; ch++) {
                    int plane = (e * channels + ch) * pixels;
                    for (int p = 0; p < pixels; p++) {
                        dst[base + p * width + ch] = src[plane + p];
                    }
                }
            }
        });
    }

    /** out[i] = values[i] . weights + bias for {@code rows} rows of {@code width} (a one-unit dense layer). */
    public static void dotRows(float[] values, int rows, int width, float[] weights, float bias, float[] out) {
        Split.byRows(rows, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                float sum = 0;
                int row = i * width;
                for (int j = 0; j < width; j++) {
                    sum += values[row + j] * weights[j];
                }
                out[i] = sum + bias;
            }
        });
    }

    /** out[i][j] = column[i] * row[j]: {@code rows} rows of {@code width}. */
    public static void outerProduct(float[] column, int rows, float[] row, int width, float[] out) {
        Split.byRows(rows, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                float c = column[i];
                int at = i * width;
                for (int j = 0; j < width; j++) {
                    out[at + j] = c * row[j];
                }
            }
        });
    }

    /** out[j] = sum over i of weights[i] * values[i][j], summed in row order: {@code rows} rows of {@code width}. */
    public static float[] weightedColumnSums(float[] values, float[] weights, int rows, int width, float[] out) {
        Split.byColumns(rows, width, (first, last) -> {
            Arrays.fill(out, first, last, 0f);
            for (int i = 0; i < rows; i++) {
                float w = weights[i];
                int row = i * width;
                for (int j = first; j < last; j++) {
                    out[j] += values[row + j] * w;
                }
            }
        });
        return out;
    }

    /** values[i][j] += bias[j] for {@code rows} rows of {@code width}. */
    public static void addBias(float[] values, int rows, float[] bias, int width) {
        Split.byRows(rows, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * width;
                for (int j = 0; j < width; j++) {
                    values[row + j] += bias[j];
                }
            }
        });
    }

    /**
     * values[i][j] = f(values[i][j] + bias[j]) with f(v) = max(v, slope v): LeakyReLU for a slope in (0, 1),
     * ReLU for 0, identity for 1. One pass instead of two.
     */
    public static void addBiasAndActivate(float[] values, int rows, float[] bias, int width, float slope) {
        addBiasAndActivate(values, 0, rows, bias, width, slope);
    }

    /** As {@link #addBiasAndActivate(float[], int, float[], int, float)} on rows [first, first + rows). */
    public static void addBiasAndActivate(float[] values, int first, int rows, float[] bias, int width, float slope) {
        Split.byRows(rows, width, (from, to) -> {
            for (int i = first + from; i < first + to; i++) {
                int row = i * width;
                for (int j = 0; j < width; j++) {
                    float v = values[row + j] + bias[j];
                    values[row + j] = Math.max(v, slope * v);
                }
            }
        });
    }

    /** values[i] = max(values[i], slope values[i]) (see {@link #addBiasAndActivate}); nothing for slope 1. */
    public static void activate(float[] values, int length, float slope) {
        if (slope == 1f) {
            return;
        }
        Split.byRows(length, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = values[i];
                values[i] = Math.max(v, slope * v);
            }
        });
    }

    /**
     * 1 where {@code output} is positive, else 0, without a branch: min(max(output * 2^126, 0), 1), exact for
     * outputs above 1e-37 in size. A branch per element on a pre-activation's sign (a coin toss) cost more in
     * mispredictions than the arithmetic (measured: 4.8 ms of a DCGAN iteration); multiplies, max and min
     * vectorize.
     */
    public static float positive(float output) {
        return Math.min(Math.max(output * 0x1p126f, 0f), 1f);
    }

    /**
     * delta[i] *= f'(output[i]) for f(v) = max(v, slope v), read from f's output: 1 where it is positive, else
     * the slope (ReLU: 0); times {@code mask[i]} (a dropout mask) when the mask is given.
     */
    public static void multiplyByDerivative(float[] delta, float[] output, float slope, float[] mask, int length) {
        multiplyByDerivative(delta, output, slope, mask, 0, length);
    }

    /** As above over elements [offset, offset + length) only. */
    public static void multiplyByDerivative(float[] delta, float[] output, float slope, float[] mask, int offset,
                                            int length) {
        float rise = 1f - slope;
        Split.byRows(length, 1, (from, to) -> {
            if (mask == null) {
                for (int i = offset + from; i < offset + to; i++) {
                    delta[i] *= slope + rise * positive(output[i]);
                }
            } else {
                for (int i = offset + from; i < offset + to; i++) {
                    delta[i] *= (slope + rise * positive(output[i])) * mask[i];
                }
            }
        });
    }

    /**
     * {@link #multiplyByDerivative} over {@code rows x width} values, summing each column of the result into
     * {@code sums} in the same pass (a bias gradient: one read of the delta instead of two).
     */
    public static float[] multiplyByDerivativeAndSum(float[] delta, float[] output, float slope, float[] mask,
                                                     int rows, int width, float[] sums) {
        return multiplyByDerivativeAndSum(delta, output, slope, mask, 0, rows, width, sums);
    }

    /** As above over rows [firstRow, firstRow + rows) only. */
    public static float[] multiplyByDerivativeAndSum(float[] delta, float[] output, float slope, float[] mask,
                                                     int firstRow, int rows, int width, float[] sums) {
        float rise = 1f - slope;
        Split.byColumns(rows, width, (first, last) -> {
            Arrays.fill(sums, first, last, 0f);
            for (int i = firstRow; i < firstRow + rows; i++) {
                int row = i * width;
                if (mask == null) {
                    for (int j = first; j < last; j++) {
                        float d = delta[row + j] * (slope + rise * positive(output[row + j]));
                        delta[row + j] = d;
                        sums[j] += d;
                    }
                } else {
                    for (int j = first; j < last; j++) {
                        float d = delta[row + j] * ((slope + rise * positive(output[row + j])) * mask[row + j]);
                        delta[row + j] = d;
                        sums[j] += d;
                    }
                }
            }
        });
        return sums;
    }

    /** Sums over the rows, into {@code out}. */
    public static float[] columnSums(float[] values, int rows, int width, float[] out) {
        return columnSums(values, 0, rows, width, out);
    }

    /** Sums over rows [firstRow, firstRow + rows), into {@code out}. */
    public static float[] columnSums(float[] values, int firstRow, int rows, int width, float[] out) {
        Split.byColumns(rows, width, (first, last) -> {
            Arrays.fill(out, first, last, 0f);
            for (int i = firstRow; i < firstRow + rows; i++) {
                int row = i * width;
                for (int j = first; j < last; j++) {
                    out[j] += values[row + j];
                }
            }
        });
        return out;
    }
}
