package dev.gan.engine;

import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.ModelSpec;
import dev.gan.optim.ParameterUpdate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engines behind {@link TrainingStep}: what each one trains, said here and nowhere else, and the step for a
 * run. The graph engine is the reference the direct one is tested against.
 */
public final class Engines {

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final AtomicBoolean FALLBACK_REPORTED = new AtomicBoolean();
    private static final AtomicBoolean KERNELS_REPORTED = new AtomicBoolean();

    private Engines() {
    }

    /**
     * The setting {@code engine} does not train for {@code config}, as the options name it, or null when it trains
     * all of them. Checked when a run's configuration is validated.
     */
    public static String unsupportedSetting(Engine engine, GanConfig config) {
        GanConfig.Tricks tricks = config.tricks();
        return switch (engine) {
            // The MLP's direct step has no dropout mask, spectral norm or augmentation; the DCGAN's has them.
            case DIRECT -> config.model().arch() != Architecture.MLP ? null
                    : config.model().dropoutD() > 0 ? "--dropout-d with --arch mlp"
                    : tricks.spectralNorm() ? "--spectral-norm with --arch mlp"
                    : !tricks.augment().none() ? "--augment with --arch mlp" : null;
            // InfoGAN's code head, spectral norm and DiffAugment are written only in the DCGAN's direct step.
            case GRAPH -> tricks.infoWeight() > 0 ? "--info-weight"
                    : tricks.spectralNorm() ? "--spectral-norm"
                    : !tricks.augment().none() ? "--augment" : null;
        };
    }

    /** One line naming the engine, what it does not train and the engine that does; null when there is no problem. */
    public static String problem(GanConfig config) {
        String setting = unsupportedSetting(config.engine(), config);
        if (setting == null) {
            return null;
        }
        Engine other = config.engine() == Engine.DIRECT ? Engine.GRAPH : Engine.DIRECT;
        String direct = unsupportedSetting(Engine.DIRECT, config);
        if (direct != null && unsupportedSetting(Engine.GRAPH, config) != null) {
            return direct + ": no engine trains it (the DCGAN's direct engine does)";
        }
        return "--engine " + name(config.engine()) + " does not train " + setting
                + (unsupportedSetting(other, config) == null ? " (--engine " + name(other) + " does)" : "");
    }

    /** The engine a run takes when none is named: the direct one where it trains the config, else the graphs. */
    public static Engine preferred(GanConfig config) {
        return unsupportedSetting(Engine.DIRECT, config) == null ? Engine.DIRECT : Engine.GRAPH;
    }

    private static String name(Engine engine) {
        return engine.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The step for a run's networks. The direct engine also needs the CPU backend and the graphs gan builds; where
     * it cannot run (CUDA, or a config.json written before the settings above were checked) the step is the graph
     * engine's, said once at INFO. InfoGAN, spectral norm and DiffAugment have no such fallback: the graphs would silently train without them.
     */
    public static TrainingStep create(GanConfig config, ModelSpec spec, ComputationGraph generator,
                                      InputGradientGraph discriminator, ParameterUpdate generatorUpdate,
                                      ParameterUpdate discriminatorUpdate, long spectralNormSeed) {
        GanConfig.Tricks tricks = config.tricks();
        AdversarialLoss loss = AdversarialLoss.of(tricks.loss());
        int batch = config.schedule().batchSize();
        int pack = tricks.pack();
        if (config.engine() == Engine.DIRECT && spec.arch() == Architecture.DCGAN) {
            DirectDcganStep.Result result = DirectDcganStep.forGraphs(generator, discriminator, generatorUpdate,
                    discriminatorUpdate, loss, batch, pack, spec.noiseDim(), spec.rows(), spec.cols(),
                    spec.numClasses(), spec.conditional(), tricks.infoWeight(),
                    new DirectDcganStep.DiscriminatorTricks(tricks.spectralNorm(), tricks.augment(), spectralNormSeed));
            if (result.step() != null) {
                if (KERNELS_REPORTED.compareAndSet(false, true)) {
                    LOG.info("DCGAN convolutions: {}", result.step().kernels());
                }
                return result.step();
            }
            String needsDirect = unsupportedSetting(Engine.GRAPH, config);
            if (needsDirect != null) {
                throw new IllegalStateException(needsDirect + " needs the DCGAN's direct step, which cannot run here: "
                        + result.reason());
            }
            logFallback(result.reason());
        } else if (config.engine() == Engine.DIRECT) {
            TrainingStep step = DirectMlpStep.forGraphs(generator, discriminator, generatorUpdate, discriminatorUpdate,
                    loss, batch, pack, spec.noiseDim(), spec.imageSize(), spec.numClasses(), spec.conditional());
            if (step != null) {
                return step;
            }
            logFallback("a layout or setting the MLP's direct step does not compute");
        }
        return new GraphStep(generator, discriminator, generatorUpdate, discriminatorUpdate, spec.conditional(), loss,
                pack, batch / pack);
    }

    /** Says once per process (at INFO, which --verbose shows) why training takes DL4J's slower graph path. */
    private static void logFallback(String reason) {
        if (FALLBACK_REPORTED.compareAndSet(false, true)) {
            LOG.info("training through DL4J's graph methods (the slower path): {}", reason);
        }
    }
}
