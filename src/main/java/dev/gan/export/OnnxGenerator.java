package dev.gan.export;

import dev.gan.model.GanModels;
import dev.gan.model.ModelSpec;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generator graph as an ONNX model (ONNX's protobuf schema, as ND4J ships it): inputs {@code z} [N, noise] and,
 * for a cGAN, {@code label} [N, classes] one-hot; output {@code image} [N, 1, rows, cols] in [0, 1]. The graph is
 * read vertex by vertex in DL4J's topological order and each one written as the ONNX operators that compute what
 * DL4J computes at inference (batch norm with its running statistics): dense layers as Gemm, transposed
 * convolutions as ConvTranspose, the label's concatenation and scale, reshapes, activations. Anything else is
 * refused, naming the vertex. Opset 13 and IR version 7, which every current runtime reads.
 */
public final class OnnxGenerator {

    public static final int OPSET = 13;
    public static final int IR_VERSION = 7;
    public static final String NOISE_INPUT = "z";
    public static final String LABEL_INPUT = "label";
    public static final String IMAGE_OUTPUT = "image";

    /** A generator that has a part ONNX is not given here: one line naming it. */
    public static final class UnsupportedModelException extends RuntimeException {
        public UnsupportedModelException(String message) {
            super(message);
        }
    }

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("gan generator");
    private final Map<String, String> tensorOf = new LinkedHashMap<>();
    private int constants;

    private OnnxGenerator() {
    }

    /**
     * The ONNX model of {@code generator} (as {@code spec} describes it), with {@code description} as its metadata
     * (noise kind and size, classes, recipe, seed: whatever the caller knows).
     */
    public static Onnx.ModelProto of(ComputationGraph generator, ModelSpec spec, Map<String, String> description) {
        OnnxGenerator export = new OnnxGenerator();
        export.translate(generator, spec);
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("gan")
                .setDocString("A GAN generator trained by gan: " + (spec.conditional() ? "z and a one-hot label" : "z")
                        + " in, images in [0, 1] out.")
                .setGraph(export.graph);
        model.addOpsetImportBuilder().setDomain("").setVersion(OPSET);
        description.forEach((key, value) -> model.addMetadataPropsBuilder().setKey(key).setValue(value));
        return model.build();
    }

    private void translate(ComputationGraph generator, ModelSpec spec) {
        ComputationGraphConfiguration conf = generator.getConfiguration();
        for (String input : conf.getNetworkInputs()) {
            String name = input.equals(GanModels.NOISE) ? NOISE_INPUT : input.equals(GanModels.LABEL) ? LABEL_INPUT : null;
            if (name == null) {
                throw new UnsupportedModelException("the generator's input '" + input + "' is neither noise nor label");
            }
            graph.addInput(valueInfo(name, -1, input.equals(GanModels.NOISE) ? spec.noiseDim() : spec.numClasses()));
            tensorOf.put(input, name);
        }
        Map<String, List<String>> inputs = conf.getVertexInputs();
        for (String name : generator.getConfiguration().getTopologicalOrderStr()) {
            if (tensorOf.containsKey(name)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> from = inputs.get(name).stream().map(tensorOf::get).toList();
            tensorOf.put(name, vertex(generator, name, vertex, from));
        }
        List<String> outputs = conf.getNetworkOutputs();
        if (outputs.size() != 1) {
            throw new UnsupportedModelException("the generator has " + outputs.size() + " outputs, not one image");
        }
        node("Reshape", List.of(tensorOf.get(outputs.get(0)), constant(new long[] {-1, 1, spec.rows(), spec.cols()})),
                IMAGE_OUTPUT, Map.of());
        graph.addOutput(valueInfo(IMAGE_OUTPUT, -1, 1, spec.rows(), spec.cols()));
    }

    private String vertex(ComputationGraph generator, String name, GraphVertex vertex, List<String> from) {
        if (vertex instanceof MergeVertex) {
            return node("Concat", from, name, Map.of("axis", 1L));
        }
        if (vertex instanceof ScaleVertex scale) {
            return node("Mul", List.of(from.get(0), constant((float) scale.getScaleFactor())), name, Map.of());
        }
        if (vertex instanceof PreprocessorVertex pre) {
            return preprocess(name, pre.getPreProcessor(), from.get(0));
        }
        if (vertex instanceof LayerVertex layerVertex) {
            String in = from.get(0);
            if (layerVertex.getPreProcessor() != null) {
                in = preprocess(name + "_in", layerVertex.getPreProcessor(), in);
            }
            return layer(generator, name, layerVertex.getLayerConf().getLayer(), in);
        }
        throw new UnsupportedModelException("the generator's vertex '" + name + "' ("
                + vertex.getClass().getSimpleName() + ") has no ONNX form here");
    }

    private String preprocess(String name, InputPreProcessor pre, String in) {
        if (pre instanceof FeedForwardToCnnPreProcessor toCnn) {
            return node("Reshape", List.of(in, constant(new long[] {-1, toCnn.getNumChannels(), toCnn.getInputHeight(),
                    toCnn.getInputWidth()})), name, Map.of());
        }
        if (pre instanceof CnnToFeedForwardPreProcessor) {
            return node("Flatten", List.of(in), name, Map.of("axis", 1L));
        }
        throw new UnsupportedModelException("the generator's vertex '" + name + "' reshapes with "
                + pre.getClass().getSimpleName() + ", which has no ONNX form here");
    }

    private String layer(ComputationGraph generator, String name, Layer layer, String in) {
        Map<String, INDArray> params = generator.getLayer(name).paramTable();
        if (layer instanceof DenseLayer dense) {
            String out = node("Gemm", List.of(in, initializer(name + ".W", params.get("W")),
                    initializer(name + ".b", params.get("b").reshape(params.get("b").length()))), name + "_gemm", Map.of());
            return activation(name, dense.getActivationFn(), out);
        }
        if (layer instanceof Deconvolution2D deconv) {
            int[] kernel = deconv.getKernelSize();
            int[] stride = deconv.getStride();
            int[] pads;
            if (deconv.getConvolutionMode() == ConvolutionMode.Same) {
                // DL4J's Same mode makes the output stride times the input: total padding kernel - stride per axis.
                pads = new int[] {(kernel[0] - stride[0]) / 2, (kernel[1] - stride[1]) / 2,
                        kernel[0] - stride[0] - (kernel[0] - stride[0]) / 2, kernel[1] - stride[1] - (kernel[1] - stride[1]) / 2};
            } else if (deconv.getConvolutionMode() == ConvolutionMode.Truncate) {
                int[] p = deconv.getPadding();
                pads = new int[] {p[0], p[1], p[0], p[1]};
            } else {
                throw new UnsupportedModelException("the generator's layer '" + name + "' uses convolution mode "
                        + deconv.getConvolutionMode() + ", which has no ONNX form here");
            }
            String out = node("ConvTranspose", List.of(in, initializer(name + ".W", params.get("W")),
                    initializer(name + ".b", params.get("b").reshape(params.get("b").length()))), name + "_conv",
                    Map.of("kernel_shape", longs(kernel), "strides", longs(stride), "pads", longs(pads)));
            return activation(name, deconv.getActivationFn(), out);
        }
        if (layer instanceof BatchNormalization bn) {
            INDArray variance;
            double epsilon;
            if (bn.isUseLogStd()) {
                // DL4J keeps log10 of sqrt(var + eps): the variance ONNX adds its epsilon to is that std squared.
                double[] log10std = params.get("log10stdev").castTo(DataType.DOUBLE).data().asDouble();
                float[] squares = new float[log10std.length];
                for (int i = 0; i < squares.length; i++) {
                    double std = Math.pow(10, log10std[i]);
                    squares[i] = (float) (std * std);
                }
                variance = org.nd4j.linalg.factory.Nd4j.createFromArray(squares);
                epsilon = 0;
            } else {
                variance = params.get("var");
                epsilon = bn.getEps();
            }
            String out = node("BatchNormalization", List.of(in, initializer(name + ".gamma", flat(params.get("gamma"))),
                    initializer(name + ".beta", flat(params.get("beta"))),
                    initializer(name + ".mean", flat(params.get("mean"))), initializer(name + ".var", flat(variance))),
                    name + "_bn", Map.of("epsilon", (float) epsilon));
            return activation(name, bn.getActivationFn(), out);
        }
        if (layer instanceof ActivationLayer activation) {
            return activation(name, activation.getActivationFn(), in);
        }
        throw new UnsupportedModelException("the generator's layer '" + name + "' (" + layer.getClass().getSimpleName()
                + ") has no ONNX form here");
    }

    private static INDArray flat(INDArray array) {
        return array.reshape(array.length());
    }

    private String activation(String name, IActivation function, String in) {
        if (function == null || function instanceof ActivationIdentity) {
            return node("Identity", List.of(in), name, Map.of());
        }
        if (function instanceof ActivationReLU) {
            return node("Relu", List.of(in), name, Map.of());
        }
        if (function instanceof ActivationSigmoid) {
            return node("Sigmoid", List.of(in), name, Map.of());
        }
        if (function instanceof ActivationTanH) {
            return node("Tanh", List.of(in), name, Map.of());
        }
        if (function instanceof ActivationLReLU leaky) {
            return node("LeakyRelu", List.of(in), name, Map.of("alpha", (float) leaky.getAlpha()));
        }
        throw new UnsupportedModelException("the generator's layer '" + name + "' uses the activation "
                + function + ", which has no ONNX form here");
    }

    private String node(String op, List<String> inputs, String output, Map<String, Object> attributes) {
        Onnx.NodeProto.Builder node = graph.addNodeBuilder().setOpType(op).setName(output).addAllInput(inputs)
                .addOutput(output);
        attributes.forEach((key, value) -> {
            Onnx.AttributeProto.Builder attribute = node.addAttributeBuilder().setName(key);
            if (value instanceof Long l) {
                attribute.setType(Onnx.AttributeProto.AttributeType.INT).setI(l);
            } else if (value instanceof Float f) {
                attribute.setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(f);
            } else if (value instanceof long[] ls) {
                attribute.setType(Onnx.AttributeProto.AttributeType.INTS);
                for (long l : ls) {
                    attribute.addInts(l);
                }
            }
        });
        return output;
    }

    private static long[] longs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** A float parameter as an initializer of the same shape, its bytes little-endian as ONNX wants them. */
    private String initializer(String name, INDArray array) {
        float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder tensor = graph.addInitializerBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes.array()));
        for (long dim : array.shape()) {
            tensor.addDims(dim);
        }
        return name;
    }

    private String constant(long[] values) {
        String name = "const_" + constants++;
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializerBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.INT64.getNumber())
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes.array()));
        return name;
    }

    private String constant(float value) {
        String name = "const_" + constants++;
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        graph.addInitializerBuilder().setName(name).setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        return name;
    }

    private static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long dim : dims) {
            if (dim < 0) {
                shape.addDimBuilder().setDimParam("N");
            } else {
                shape.addDimBuilder().setDimValue(dim);
            }
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape))).build();
    }
}
