package dev.gan.nn;

/**
 * Batch normalization in training mode over the rows of a [rows x width] matrix, one statistic per column:
 * a dense layer's features (rows = examples) or a convolution's channels (rows = every pixel of every image,
 * NHWC). Followed by an optional ReLU, as the DCGAN's generator has it. Means and variances are the batch's
 * (biased variance), as DL4J's BatchNormalization computes them.
 *
 * <p>The running statistics follow DL4J's parameterization: a mean and log10 of the standard deviation,
 * moved by "gradients" that its no-op updater subtracts from them: (1 - decay)(mean - batch mean), and
 * log(var / var') / (2 ln 10) with var' = decay var + (1 - decay) batch var.
 */
public final class BatchNorm {

    private static final double HALF_OVER_LN10 = 0.5 / Math.log(10);
    /** Rows summed in float before adding into double. */
    private static final int BLOCK = 64;

    private final int width;
    private final double epsilon;
    private final double decay;
    private final float[] normalized;   // x hat, rows x width
    private final float[] std;
    private final double[] mean;
    private final double[] variance;
    private final double[] sum;
    private final double[] sum2;
    private final float[] gamma;
    private final float[] beta;
    private final float[] gammaGradient;
    private final float[] betaGradient;
    private final float[] statistic;
    // Per-column working values: the mean as a float, 1 / std (in backward: gamma / std), partial sums.
    private final float[] meanF;
    private final float[] inverse;
    private final float[] partial;
    /** Per part of a split over rows: a block's float sums [part][first or second][column], the part's double sums. */
    private float[][][] partials = new float[0][][];
    private double[][][] sums = new double[0][][];
    private int lastRows = -1;

    public BatchNorm(int width, int maxRows, double epsilon, double decay) {
        this.width = width;
        this.epsilon = epsilon;
        this.decay = decay;
        normalized = new float[Math.multiplyExact(width, maxRows)];
        std = new float[width];
        mean = new double[width];
        variance = new double[width];
        sum = new double[width];
        sum2 = new double[width];
        gamma = new float[width];
        beta = new float[width];
        gammaGradient = new float[width];
        betaGradient = new float[width];
        statistic = new float[width];
        meanF = new float[width];
        inverse = new float[width];
        partial = new float[width];
    }

    /** {@code out} = relu?(gamma * (x - batch mean) / sqrt(batch var + eps) + beta). */
    public void forward(float[] x, int rows, ParameterMemory gammaParam, ParameterMemory betaParam, boolean relu,
                        float[] out) {
        columnSums(x, null, rows, sum);
        for (int j = 0; j < width; j++) {
            mean[j] = sum[j] / rows;
            meanF[j] = (float) mean[j];
        }
        columnSums(x, meanF, rows, sum2);
        for (int j = 0; j < width; j++) {
            variance[j] = sum2[j] / rows;
            std[j] = (float) Math.sqrt((float) variance[j] + (float) epsilon);
            inverse[j] = 1f / std[j];
        }
        gammaParam.read(gamma);
        betaParam.read(beta);
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        Split.byRows(rows, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * width;
                for (int j = 0; j < width; j++) {
                    float xhat = (x[row + j] - meanF[j]) * inverse[j];
                    normalized[row + j] = xhat;
                    out[row + j] = Math.max(gamma[j] * xhat + beta[j], floor);
                }
            }
        });
        lastRows = rows;
    }

    /**
     * Column sums of x (of (x - center)^2 when {@code center} is given) into {@code to}: float partial sums over
     * blocks of rows, which vectorize, added up in double so that long columns keep their precision.
     */
    private void columnSums(float[] x, float[] center, int rows, double[] to) {
        overBlocks(rows, to, null, (part, start, end, first, last) -> {
            float[] partial = partials[part][0];
            for (int i = start; i < end; i++) {
                int row = i * width;
                if (center == null) {
                    for (int j = first; j < last; j++) {
                        partial[j] += x[row + j];
                    }
                } else {
                    for (int j = first; j < last; j++) {
                        float d = x[row + j] - center[j];
                        partial[j] += d * d;
                    }
                }
            }
        });
    }

    /**
     * A block of rows [start, end), columns [first, last), summed into part {@code part}'s float partials
     * ({@link #partials}).
     */
    private interface Block {
        void sum(int part, int start, int end, int first, int last);
    }

    /**
     * Runs {@code block} over the rows a block of {@link #BLOCK} at a time, adding each block's float partials
     * into double sums: {@code first} gets partials[part][0]'s, {@code second} (unless null) partials[part][1]'s.
     * With at least two blocks a part, the threads take runs of whole blocks, each with sums of its own, added in
     * part order at the end: every thread streams only its own rows (split by columns, short rows put both
     * threads on every cache line). Fewer, long rows split by columns, each thread its own stretch of every row.
     * One thread adds exactly as before either way.
     */
    private void overBlocks(int rows, double[] first, double[] second, Block block) {
        int blocks = (rows + BLOCK - 1) / BLOCK;
        int rowParts = Split.parts(rows, width);
        boolean byRows = rowParts > 1 && blocks >= 2 * rowParts;
        int parts = byRows ? rowParts : 1;
        if (partials.length < parts) {
            // A cache line of room after each part's arrays: two threads adding into neighbouring arrays
            // would otherwise fight over the line they share.
            partials = new float[parts][2][width + 16];
            sums = new double[parts][2][width + 8];
        }
        if (byRows) {
            Split.inParts(blocks, parts, (part, fromBlock, toBlock) ->
                    sumBlocks(part, fromBlock, toBlock, rows, 0, width, second != null, block));
        } else {
            Split.byColumns(rows, width, (firstColumn, lastColumn) ->
                    sumBlocks(0, 0, blocks, rows, firstColumn, lastColumn, second != null, block));
        }
        addParts(parts, 0, first);
        if (second != null) {
            addParts(parts, 1, second);
        }
    }

    /** Sums {@code k} of the parts, added in part order, into {@code to}. */
    private void addParts(int parts, int k, double[] to) {
        for (int j = 0; j < width; j++) {
            double total = sums[0][k][j];
            for (int part = 1; part < parts; part++) {
                total += sums[part][k][j];
            }
            to[j] = total;
        }
    }

    /** Blocks [fromBlock, toBlock), columns [c0, c1), into part {@code part}'s sums (both sets if {@code two}). */
    private void sumBlocks(int part, int fromBlock, int toBlock, int rows, int c0, int c1, boolean two, Block block) {
        int sets = two ? 2 : 1;
        double[][] sum = sums[part];
        float[][] partial = partials[part];
        for (int k = 0; k < sets; k++) {
            java.util.Arrays.fill(sum[k], c0, c1, 0);
        }
        for (int b = fromBlock; b < toBlock; b++) {
            for (int k = 0; k < sets; k++) {
                java.util.Arrays.fill(partial[k], c0, c1, 0f);
            }
            block.sum(part, b * BLOCK, Math.min(rows, (b + 1) * BLOCK), c0, c1);
            for (int k = 0; k < sets; k++) {
                for (int j = c0; j < c1; j++) {
                    sum[k][j] += partial[k][j];
                }
            }
        }
    }

    /**
     * From {@code outDelta} (dLoss/d output; with the ReLU, {@code out} is the forward output): gamma and beta's
     * gradients summed over the rows, the running statistics' moves, and {@code inDelta} = dLoss/dx.
     */
    public void backward(float[] outDelta, float[] out, int rows, boolean relu, ParameterMemory gammaParam,
                         ParameterMemory betaParam, ParameterMemory runningMean, ParameterMemory runningLog10Std,
                         float[] inDelta) {
        if (rows != lastRows) {
            throw new IllegalStateException("backward on " + rows + " rows after a forward pass on " + lastRows);
        }
        // dBeta = sum dy, dGamma = sum dy * xhat; dy (ReLU applied) is held in inDelta until the second pass.
        overBlocks(rows, sum, sum2, (part, start, end, first, last) -> {
            float[] partial = partials[part][0];
            float[] partial2 = partials[part][1];
            for (int i = start; i < end; i++) {
                int row = i * width;
                for (int j = first; j < last; j++) {
                    float dy = relu ? outDelta[row + j] * Layouts.positive(out[row + j]) : outDelta[row + j];
                    inDelta[row + j] = dy;
                    partial[j] += dy;
                    partial2[j] += dy * normalized[row + j];
                }
            }
        });
        float scale = 1f / rows;
        for (int j = 0; j < width; j++) {
            betaGradient[j] = (float) sum[j];
            gammaGradient[j] = (float) sum2[j];
            inverse[j] = gamma[j] / std[j];
            meanF[j] = betaGradient[j] * scale;
            partial[j] = gammaGradient[j] * scale;
        }
        gammaParam.writeGradient(gammaGradient);
        betaParam.writeGradient(betaGradient);
        // dx = gamma / std * (dy - mean(dy) - xhat * mean(dy * xhat))
        Split.byRows(rows, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * width;
                for (int j = 0; j < width; j++) {
                    inDelta[row + j] = inverse[j] * (inDelta[row + j] - meanF[j] - normalized[row + j] * partial[j]);
                }
            }
        });
        runningMean.read(statistic);
        for (int j = 0; j < width; j++) {
            statistic[j] = (float) ((1 - decay) * (statistic[j] - mean[j]));
        }
        runningMean.writeGradient(statistic);
        runningLog10Std.read(statistic);
        for (int j = 0; j < width; j++) {
            double s = Math.pow(10, statistic[j]);
            double var = s * s;
            double next = decay * var + (1 - decay) * variance[j];
            statistic[j] = (float) (Math.log(var / next) * HALF_OVER_LN10);
        }
        runningLog10Std.writeGradient(statistic);
    }
}
