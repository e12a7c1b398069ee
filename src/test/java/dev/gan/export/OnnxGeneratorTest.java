package dev.gan.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.model.ModelSpec;
import dev.gan.optim.GeneratorAverage;
import dev.gan.train.GanTrainer;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exported generator, run by ONNX Runtime, draws what DL4J's graph draws from the same noise and labels: for the
 * MLP and the DCGAN, plain and conditional, after some training (so batch norm's running statistics and a moving
 * average of G are not their starting values).
 */
class OnnxGeneratorTest {

    private static final int BATCH = 16;

    @ParameterizedTest(name = "{0} conditional={1} label scale {2}")
    @CsvSource({"MLP,false,1", "MLP,true,1", "MLP,true,3", "DCGAN,false,1", "DCGAN,true,1"})
    void onnxRuntimeDrawsWhatDl4jDrawsFromTheSameNoiseAndLabels(Architecture arch, boolean conditional,
                                                                 double labelScale) throws Exception {
        GanConfig config = GanConfig.reference(conditional).arch(arch).option("ema", 0.9).option("label-scale", labelScale)
                .option("batch-size", BATCH).option("hidden", arch == Architecture.DCGAN ? 8 : 32)
                .option("weight-init", "xavier").build();
        ModelSpec spec = new ModelSpec(conditional, config.model().noiseDim(), config.model().noise(),
                config.model().hidden(), 28, 28, 10, config.model().weightInit(), arch);
        GanTrainer trainer = GanTrainer.create(config, spec);
        Nd4j.getRandom().setSeed(5);
        for (int i = 0; i < 5; i++) {
            trainer.realImages().assign(Nd4j.rand(DataType.FLOAT, BATCH, spec.imageSize()));
            if (conditional) {
                trainer.realLabels().assign(0);
                for (int r = 0; r < BATCH; r++) {
                    trainer.realLabels().putScalar(r, r % 10, 1.0);
                }
            }
            trainer.step(i, 0);
        }
        ComputationGraph generator = trainer.samplingGenerator();
        GeneratorAverage average = trainer.average();
        assertThat(average).as("the run keeps a moving average, which is what it samples from").isNotNull();

        INDArray noise = Nd4j.rand(DataType.FLOAT, BATCH, spec.noiseDim()).subi(0.5).muli(2);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, 10);
        for (int r = 0; r < BATCH; r++) {
            labels.putScalar(r, (3 * r) % 10, 1.0);
        }
        INDArray expected = (conditional ? generator.output(false, noise, labels) : generator.output(false, noise))[0]
                .reshape(BATCH, 1, 28, 28);

        Onnx.ModelProto model = OnnxGenerator.of(generator, spec, Map.of("noise", spec.noise().name()));
        float[][][][] image;
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model.toByteArray(), new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(OnnxGenerator.NOISE_INPUT, OnnxTensor.createTensor(environment, noise.toFloatMatrix()));
            if (conditional) {
                inputs.put(OnnxGenerator.LABEL_INPUT, OnnxTensor.createTensor(environment, labels.toFloatMatrix()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                image = (float[][][][]) result.get(OnnxGenerator.IMAGE_OUTPUT).orElseThrow().getValue();
            }
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("noise", spec.noise().name());
            inputs.values().forEach(OnnxTensor::close);
        }

        INDArray actual = Nd4j.createFromArray(image);
        assertThat(actual.shape()).containsExactly(BATCH, 1, 28, 28);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThanOrEqualTo(1e-4);
        assertThat(expected.stdNumber().doubleValue()).as("the images are not all alike").isGreaterThan(1e-3);
    }
}
