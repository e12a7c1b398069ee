package dev.gan.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.graph.vertex.impl.ScaleVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * A ComputationGraph that can also return the gradient of an external error with respect to one of its
 * inputs. DL4J computes that gradient during backprop but its public {@code backpropGradient} clears it
 * before returning; this subclass runs the same backprop and reads the input vertex's epsilon first.
 * On disk it is an ordinary ComputationGraph.
 *
 * <p>Requires workspaces off: DL4J keeps activation gradients in workspaces that close when backprop ends.
 */
public class InputGradientGraph extends ComputationGraph {

    private List<ReusingDenseLayer.Reusing> reusingLayers;
    private List<ReusingDenseLayer.Reusing> firstReusingLayers;

    public InputGradientGraph(ComputationGraphConfiguration configuration) {
        super(configuration);
        if (configuration.getTrainingWorkspaceMode() != WorkspaceMode.NONE
                || configuration.getInferenceWorkspaceMode() != WorkspaceMode.NONE) {
            throw new IllegalArgumentException("InputGradientGraph needs workspace mode NONE");
        }
    }

    /** Wraps a loaded graph (parameters and updater state are copied once). */
    public static InputGradientGraph of(ComputationGraph graph) {
        if (graph instanceof InputGradientGraph same) {
            return same;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        InputGradientGraph copy = new InputGradientGraph(conf);
        copy.init(graph.params().dup(), false);
        if (graph.getUpdater(false) != null && graph.getUpdater().getStateViewArray() != null) {
            copy.getUpdater().setStateViewArray(graph.getUpdater().getStateViewArray().dup());
        }
        return copy;
    }

    /**
     * Backpropagates {@code outputErrors} into this graph's gradient view only: layers fed directly by the
     * network's inputs skip the gradient with respect to those inputs, which nobody reads here.
     */
    public Gradient backpropParameters(INDArray outputErrors) {
        setFirstLayersInputGradient(false);
        try {
            return backpropGradient(outputErrors);
        } finally {
            setFirstLayersInputGradient(true);
        }
    }

    private void setWeightGradients(boolean wanted) {
        for (ReusingDenseLayer.Reusing layer : reusingLayers()) {
            layer.setWeightGradientWanted(wanted);
        }
    }

    private void setFirstLayersInputGradient(boolean wanted) {
        reusingLayers(); // finds firstReusingLayers too
        for (ReusingDenseLayer.Reusing layer : firstReusingLayers) {
            layer.setInputGradientWanted(wanted);
        }
    }

    /** The reusing dense layers, and which of them read the network's inputs: found once, the graph is fixed. */
    private List<ReusingDenseLayer.Reusing> reusingLayers() {
        if (reusingLayers == null) {
            List<ReusingDenseLayer.Reusing> all = new ArrayList<>();
            List<ReusingDenseLayer.Reusing> first = new ArrayList<>();
            for (GraphVertex vertex : getVertices()) {
                if (vertex.hasLayer() && vertex.getLayer() instanceof ReusingDenseLayer.Reusing layer) {
                    all.add(layer);
                    if (fedByNetworkInputsOnly(vertex)) {
                        first.add(layer);
                    }
                }
            }
            firstReusingLayers = List.copyOf(first);
            reusingLayers = List.copyOf(all);
        }
        return reusingLayers;
    }

    /** True when every input of {@code vertex} is a network input (directly or through merges and scalings of inputs). */
    private boolean fedByNetworkInputsOnly(GraphVertex vertex) {
        for (var in : vertex.getInputVertices()) {
            GraphVertex source = getVertices()[in.getVertexIndex()];
            if (!source.isInputVertex() && !((source instanceof MergeVertex || source instanceof ScaleVertex)
                    && fedByNetworkInputsOnly(source))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Backpropagates {@code outputErrors} (after a training-mode feedForward with clearInputs=false) and
     * returns dError/dInput for the named input. The weight gradients of dense layers are not computed (the
     * gradient view keeps whatever it held); other layers fill it as usual. Never apply the view after this.
     */
    public INDArray backpropToInput(String inputName, INDArray outputErrors) {
        setWeightGradients(false);
        try {
            calcBackpropGradients(false, false, outputErrors);
        } finally {
            setWeightGradients(true);
        }
        INDArray inputGradient = getVertex(inputName).getEpsilon();
        for (GraphVertex vertex : getVertices()) {
            vertex.clear();
        }
        return inputGradient;
    }
}
