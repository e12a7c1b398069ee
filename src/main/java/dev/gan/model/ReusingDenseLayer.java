package dev.gan.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * A dense layer whose backprop reuses the forward pass's output instead of recomputing it.
 *
 * <p>DL4J's dense layer recomputes {@code z = xW + b} in every backprop to get the activation's derivative:
 * one extra matrix multiply per layer and pass, about a quarter of the MLP GAN's arithmetic. For the
 * activations used here the derivative follows from the output {@code a = f(z)} alone: ReLU and LeakyReLU
 * from its sign, sigmoid as {@code a (1 - a)}, identity is 1. Everything else about the layer (parameters,
 * updater, serialization as a dense layer with this class name) is DL4J's; when the conditions for reuse do
 * not hold (no training forward pass on this input, a mask, weight noise, layer norm, no bias, dropout on
 * the input, another activation) it falls back to DL4J's own backprop.
 */
public class ReusingDenseLayer extends DenseLayer {

    /** For JSON deserialization (DL4J reads layer configurations back by class name). */
    public ReusingDenseLayer() {
    }

    public ReusingDenseLayer(long nIn, long nOut, IActivation activation) {
        setNIn(nIn);
        setNOut(nOut);
        setActivationFn(activation);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        Reusing layer = new Reusing(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    /** The layer itself. */
    public static class Reusing extends org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer {

        private INDArray output;
        private INDArray outputFor;
        private boolean inputGradientWanted = true;
        private boolean weightGradientWanted = true;

        public Reusing(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray activation = super.activate(training, workspaceMgr);
            output = training ? activation : null;
            outputFor = training ? input : null;
            return activation;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            IActivation activation = layerConf().getActivationFn();
            if (output == null || outputFor != input || maskArray != null || layerConf().getWeightNoise() != null
                    || layerConf().getIDropout() != null || hasLayerNorm() || !hasBias()
                    || !isSupported(activation)) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            INDArray delta = delta(activation, output, epsilon);
            output = null; // one backprop per forward pass: the next one must not see a stale output
            outputFor = null;

            Gradient gradient = new DefaultGradient();
            INDArray biasGradient = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            delta.sum(biasGradient, 0);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);

            INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[] {weights.size(0), delta.size(0)}, 'f');
            if (inputGradientWanted) {
                epsilonNext = weights.mmuli(delta.transpose(), epsilonNext).transpose();
            } else {
                // Right shape, contents undefined: DL4J still hands it to the vertices before the inputs (a
                // merge of image and label splits it), but nothing reads the inputs' gradient in this pass.
                epsilonNext = epsilonNext.transpose();
            }

            INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
            if (weightGradientWanted) {
                org.nd4j.linalg.factory.Nd4j.gemm(input, delta, weightGradient, true, false, 1.0, 0.0);
            }
            gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
            return new Pair<>(gradient, epsilonNext);
        }

        /**
         * Whether backprop computes the gradient with respect to this layer's input. A first layer's is wanted
         * only when someone reads the gradient for the network input (D in the generator step), not when only
         * the parameters learn (D's own step): skipping it saves D's largest matrix multiply.
         */
        public void setInputGradientWanted(boolean wanted) {
            inputGradientWanted = wanted;
        }

        /**
         * Whether backprop fills the weight gradient. Not when only the input gradient is read (D in the
         * generator step): the gradient view then keeps stale values that nobody applies.
         */
        public void setWeightGradientWanted(boolean wanted) {
            weightGradientWanted = wanted;
        }

        @Override
        public void clear() {
            super.clear();
            output = null;
            outputFor = null;
        }

        private static boolean isSupported(IActivation activation) {
            return activation instanceof ActivationIdentity || activation instanceof ActivationReLU
                    || activation instanceof ActivationLReLU || activation instanceof ActivationSigmoid;
        }

        /** dLoss/dz from dLoss/da and a = f(z). */
        private static INDArray delta(IActivation activation, INDArray a, INDArray epsilon) {
            if (activation instanceof ActivationIdentity) {
                return epsilon;
            }
            if (activation instanceof ActivationSigmoid) {
                return a.rsub(1.0).muli(a).muli(epsilon);
            }
            // ReLU and LeakyReLU: f'(z) depends only on the sign of z, which a = f(z) keeps.
            return activation.backprop(a.dup(), epsilon).getFirst();
        }
    }
}
