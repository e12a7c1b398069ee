package dev.gan.bench;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Floating-point operations of the training loop, counted from the graphs: the multiply-adds of dense and
 * (transposed) convolution layers, 2 FLOPs each; batch norm, activations and the updater are left out.
 *
 * <p>Per iteration, with G and D the forward FLOPs per example and B the batch size: G forward and backward
 * (3 G), D forward and backward over the 2B real+fake batch (6 D), and in the G step D forward and backward to
 * its input (2 D): {@code B * (3 G + 8 D)}. For the reference MLP GAN at batch 100 that is 0.46 GFLOP, the
 * figure the speed issue quotes.
 */
public final class FlopCount {

    private FlopCount() {
    }

    public static double perIteration(ComputationGraph generator, ComputationGraph discriminator,
                                      INDArray[] oneGeneratorInput, INDArray[] oneDiscriminatorInput, int batchSize) {
        double g = forwardPerExample(generator, oneGeneratorInput);
        double d = forwardPerExample(discriminator, oneDiscriminatorInput);
        return batchSize * (3 * g + 8 * d);
    }

    /** Forward FLOPs for one example; runs the graph once on {@code oneExample} to learn the feature-map sizes. */
    static double forwardPerExample(ComputationGraph graph, INDArray[] oneExample) {
        Map<String, INDArray> activations = graph.feedForward(oneExample, false);
        double flops = 0;
        for (GraphVertex vertex : graph.getVertices()) {
            if (!vertex.hasLayer()) {
                continue;
            }
            Layer layer = vertex.getLayer().conf().getLayer();
            long[] out = activations.get(vertex.getVertexName()).shape();
            if (layer instanceof Deconvolution2D deconv) {
                // Each input pixel scatters a k x k x Cout patch: count by the input map (out / stride^2).
                long inPixels = out[2] * out[3] / ((long) deconv.getStride()[0] * deconv.getStride()[1]);
                flops += 2.0 * deconv.getNIn() * deconv.getNOut() * kernelArea(deconv) * inPixels;
            } else if (layer instanceof ConvolutionLayer conv) {
                flops += 2.0 * conv.getNIn() * conv.getNOut() * kernelArea(conv) * out[2] * out[3];
            } else if (layer instanceof DenseLayer dense) {
                flops += 2.0 * dense.getNIn() * dense.getNOut();
            }
        }
        return flops;
    }

    private static long kernelArea(ConvolutionLayer conv) {
        return (long) conv.getKernelSize()[0] * conv.getKernelSize()[1];
    }
}
