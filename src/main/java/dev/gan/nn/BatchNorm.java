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
    }

    /** {@code out} = relu?(gamma * (x - batch mean) / sqrt(batch var + eps) + beta). */
    public void forward(float[] x, int rows, ParameterMemory gammaParam, ParameterMemory betaParam, boolean relu,
                        float[] out) {
        java.util.Arrays.fill(sum, 0);
        java.util.Arrays.fill(sum2, 0);
        for (int i = 0; i < rows; i++) {
            int row = i * width;
            for (int j = 0; j < width; j++) {
                sum[j] += x[row + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] = sum[j] / rows;
        }
        for (int i = 0; i < rows; i++) {
            int row = i * width;
            for (int j = 0; j < width; j++) {
                double d = x[row + j] - mean[j];
                sum2[j] += d * d;
            }
        }
        for (int j = 0; j < width; j++) {
            variance[j] = sum2[j] / rows;
            std[j] = (float) Math.sqrt((float) variance[j] + (float) epsilon);
        }
        gammaParam.read(gamma);
        betaParam.read(beta);
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            int row = i * width;
            for (int j = 0; j < width; j++) {
                float xhat = (x[row + j] - (float) mean[j]) / std[j];
                normalized[row + j] = xhat;
                out[row + j] = Math.max(gamma[j] * xhat + beta[j], floor);
            }
        }
        lastRows = rows;
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
        java.util.Arrays.fill(sum, 0);
        java.util.Arrays.fill(sum2, 0);
        for (int i = 0; i < rows; i++) {
            int row = i * width;
            for (int j = 0; j < width; j++) {
                float dy = relu && out[row + j] <= 0f ? 0f : outDelta[row + j];
                inDelta[row + j] = dy; // held here until the second pass
                sum[j] += dy;
                sum2[j] += dy * normalized[row + j];
            }
        }
        for (int j = 0; j < width; j++) {
            betaGradient[j] = (float) sum[j];
            gammaGradient[j] = (float) sum2[j];
        }
        gammaParam.writeGradient(gammaGradient);
        betaParam.writeGradient(betaGradient);
        float scale = 1f / rows;
        for (int i = 0; i < rows; i++) {
            int row = i * width;
            for (int j = 0; j < width; j++) {
                float g = gamma[j] / std[j];
                inDelta[row + j] = g * (inDelta[row + j] - betaGradient[j] * scale
                        - normalized[row + j] * gammaGradient[j] * scale);
            }
        }
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
