package dev.gan.model;

import dev.gan.nn.ParameterMemory;
import dev.gan.util.Sgemm;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Where a graph's parameters and their gradients live, for the kernels that compute on them in place. */
public final class GraphMemory {

    private GraphMemory() {
    }

    /**
     * The named parameter of a layer and its gradient, inside the graph's flat parameter and gradient arrays
     * (the gradient view has the parameters' layout: same offsets from its start). DL4J creates the gradient
     * view at the first backprop; it is created here if need be.
     */
    public static ParameterMemory parameter(ComputationGraph graph, String layer, String key) {
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView();
        }
        INDArray values = graph.getLayer(layer).getParam(key);
        long params = Sgemm.address(graph.params());
        long gradients = Sgemm.address(graph.getFlattenedGradients());
        long at = Sgemm.address(values);
        int length = Math.toIntExact(values.length());
        return new ParameterMemory(Sgemm.floats(at, length), Sgemm.floats(gradients + (at - params), length), length);
    }
}
