package dev.gan.engine;

import dev.gan.model.DcganGraphs;
import dev.gan.model.GraphMemory;
import dev.gan.model.NoiseKind;
import dev.gan.nn.Layouts;
import dev.gan.nn.ParameterMemory;
import dev.gan.util.Sgemm;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * InfoGAN's categorical term (Chen et al. 2016) on the DCGAN's direct D: a linear head on D's last features
 * gives the logits of a fake's category, the one-hot tail of its z ({@code --noise categorical}); the loss is
 * {@code weight} times the mean cross-entropy over the fakes. D's step trains D and the head on it, G's step
 * passes it back into G, so G is pushed to draw each category as something D can tell from the others.
 *
 * <p>Errors follow the direct step's convention: per example, summed; the update divides by the batch.
 */
final class CodeHead {

    private final float weight;
    private final int codes = NoiseKind.CATEGORIES;
    private final int channels;
    private final int pixels;
    private final int features;
    private final int noiseDim;
    private final ParameterMemory w;
    private final ParameterMemory b;
    private final float[] weights;      // [code][feature], features channels-last as D's activations
    private final float[] scratch;      // [code][feature] in DL4J's order [C][h*w]
    private final float[] bias;
    private final float[] noise;
    private final int[] target;
    private final float[] errors;       // [row][code]: weight * (softmax - one-hot)
    private int from;                   // the rows of the last forward
    private int count;

    CodeHead(ComputationGraph discriminator, double weight, int channels, int pixels, int batch, int noiseDim) {
        this.weight = (float) weight;
        this.channels = channels;
        this.pixels = pixels;
        this.features = channels * pixels;
        this.noiseDim = noiseDim;
        this.w = GraphMemory.parameter(discriminator, DcganGraphs.D_CODE, "W");
        this.b = GraphMemory.parameter(discriminator, DcganGraphs.D_CODE, "b");
        weights = new float[codes * features];
        scratch = new float[codes * features];
        bias = new float[codes];
        noise = new float[batch * noiseDim];
        target = new int[batch];
        errors = new float[batch * codes];
    }

    /** Reads each fake's category from its z, one z per row of {@code z}. */
    void readCodes(INDArray z, int rows) {
        Sgemm.pointer(z).get(noise, 0, rows * noiseDim);
        int first = noiseDim - codes;
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int k = 1; k < codes; k++) {
                if (noise[i * noiseDim + first + k] > noise[i * noiseDim + first + best]) {
                    best = k;
                }
            }
            target[i] = best;
        }
    }

    /**
     * The head on rows {@code from .. from+count-1} of {@code activations} (fake i at row from+i): fills the errors
     * and returns the mean cross-entropy, unweighted.
     */
    double forward(float[] activations, int from, int count) {
        this.from = from;
        this.count = count;
        // The Dense layer's W is [features][codes] column-major: each code's weights in DL4J's flattening order.
        Layouts.transpose(w.read(scratch), codes, channels, pixels, weights, true);
        b.read(bias);
        double loss = 0;
        for (int i = 0; i < count; i++) {
            int row = (from + i) * features;
            int out = i * codes;
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < codes; k++) {
                float sum = bias[k];
                int col = k * features;
                for (int j = 0; j < features; j++) {
                    sum += activations[row + j] * weights[col + j];
                }
                errors[out + k] = sum;
                max = Math.max(max, sum);
            }
            double total = 0;
            for (int k = 0; k < codes; k++) {
                total += Math.exp(errors[out + k] - max);
            }
            double logTotal = Math.log(total);
            loss += logTotal + max - errors[out + target[i]];
            for (int k = 0; k < codes; k++) {
                double p = Math.exp(errors[out + k] - max - logTotal);
                errors[out + k] = weight * (float) (p - (k == target[i] ? 1 : 0));
            }
        }
        return loss / count;
    }

    /**
     * Adds the head's dLoss/dActivation to {@code delta} on the rows of the last {@link #forward}; with
     * {@code parameterGradients} also writes the head's gradients to D's gradient view.
     */
    void backward(float[] activations, float[] delta, boolean parameterGradients) {
        for (int i = 0; i < count; i++) {
            int row = (from + i) * features;
            for (int k = 0; k < codes; k++) {
                float e = errors[i * codes + k];
                int col = k * features;
                for (int j = 0; j < features; j++) {
                    delta[row + j] += e * weights[col + j];
                }
            }
        }
        if (!parameterGradients) {
            return;
        }
        Arrays.fill(weights, 0f); // reused as the gradient, channels-last, until the next forward reads W again
        Arrays.fill(bias, 0f);
        for (int i = 0; i < count; i++) {
            int row = (from + i) * features;
            for (int k = 0; k < codes; k++) {
                float e = errors[i * codes + k];
                bias[k] += e;
                int col = k * features;
                for (int j = 0; j < features; j++) {
                    weights[col + j] += e * activations[row + j];
                }
            }
        }
        Layouts.transpose(weights, codes, channels, pixels, scratch, false);
        w.writeGradient(scratch);
        b.writeGradient(bias);
    }
}
