package dev.gan.train;

import dev.gan.data.ImageDataset;
import dev.gan.image.ImageGrid;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.ModelSpec;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Differences;
import dev.gan.util.ProcessMemory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A whole training run in a run directory: builds or restores the networks, trains epoch after epoch, and
 * leaves metrics, sample grids, checkpoints and the final generator behind. No printing: progress goes to
 * the {@link TrainingListener} and to the log.
 */
public final class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);
    /** Sample grids are GRID_SIDE x GRID_SIDE images. */
    public static final int GRID_SIDE = 10;
    private static final int CHECKPOINTS_KEPT = 3;

    /** How a finished run ended. */
    public record Result(Path runDir, int epochs, long iterations, EpochStats last, double seconds) {
    }

    private final RunRecord record;
    private final RunDirectory dir;
    private final ImageDataset data;
    private final TrainingListener listener;
    private final BooleanSupplier stop;
    private final EpochEvaluator evaluator;

    /**
     * @param stop polled before every iteration; when it turns true the run writes a checkpoint at the current
     *             iteration and ends with {@link TrainingStoppedException} (the command line wires it to
     *             Ctrl-C and SIGTERM)
     */
    public TrainingRun(RunRecord record, RunDirectory dir, ImageDataset data, TrainingListener listener,
                       BooleanSupplier stop) {
        this(record, dir, data, listener, stop, null);
    }

    /** @param evaluator judges the generator every {@code evalEvery} epochs (required when that is set) */
    public TrainingRun(RunRecord record, RunDirectory dir, ImageDataset data, TrainingListener listener,
                       BooleanSupplier stop, EpochEvaluator evaluator) {
        if (record.config().evalEvery() > 0 && evaluator == null) {
            throw new IllegalArgumentException("eval-every is set but no evaluator was given");
        }
        this.record = record;
        this.dir = dir;
        this.data = data;
        this.listener = listener;
        this.stop = stop;
        this.evaluator = evaluator;
    }

    /** The model a configuration defines on a data set of this shape. */
    public static ModelSpec modelSpec(GanConfig config, ImageDataset data) {
        return new ModelSpec(config.conditional(), config.noiseDim(), config.noise(), config.hidden(), data.rows(),
                data.cols(), data.numClasses(), config.weightInit(), config.arch());
    }

    /** Trains from scratch, or from the newest checkpoint when {@code resume} is set and one exists. */
    public Result run(boolean resume) throws IOException {
        GanConfig config = record.config();
        ModelSpec spec = record.model();
        Checkpoints checkpoints = new Checkpoints(dir.checkpoints(), CHECKPOINTS_KEPT);
        if (resume) {
            dir.removeUnfinishedWrites();
        }
        Checkpoints.Loaded from = resume ? checkpoints.loadLatest().orElse(null) : null;
        if (from != null) {
            for (String skipped : from.skipped()) {
                String message = skipped + "; resuming from " + from.path() + " instead";
                log.info(message);
                listener.warning(message);
            }
            checkResumable(from);
            record.write(dir.config()); // --epochs may have changed: config.json describes the run as it goes on
        }

        GanTrainer trainer;
        int startEpoch;
        int startBatch;
        long iteration;
        List<String> metricRows = new ArrayList<>();
        if (from != null) {
            trainer = GanTrainer.restore(config, spec, from.generator(), from.discriminator(),
                    from.averageParameters());
            startEpoch = from.state().epoch();
            startBatch = from.state().batch();
            iteration = from.state().iteration();
            metricRows.addAll(metricsUpTo(startEpoch));
            log.info("resuming {} from {} (epoch {}, iteration {})", dir.root(), from.path(), startEpoch, iteration);
        } else {
            trainer = GanTrainer.create(config, spec);
            startEpoch = 0;
            startBatch = 0;
            iteration = 0;
            record.write(dir.config());
        }
        ComputationGraph generator = trainer.generator();
        InputGradientGraph discriminator = trainer.discriminator();
        Files.createDirectories(dir.samples());

        ShuffledBatches batches = new ShuffledBatches(data, config.batchSize());
        FixedSamples fixed = new FixedSamples(spec, GRID_SIDE * GRID_SIDE,
                Seeds.derive(config.seed(), Seeds.FIXED_SAMPLES, 0));
        int perEpoch = batches.batchesPerEpoch();
        NativeGarbage garbage = NativeGarbage.forArchitecture(config.arch());
        listener.started(startEpoch, config.epochs(), perEpoch);
        long runStart = System.nanoTime();
        EpochStats last = null;

        for (int epoch = startEpoch + 1; epoch <= config.epochs(); epoch++) {
            batches.shuffle(Seeds.derive(config.seed(), Seeds.SHUFFLE, epoch));
            int firstBatch = epoch == startEpoch + 1 ? startBatch : 0;
            // A mid-epoch checkpoint carries the sums of the batches before it (older checkpoints do not: then
            // the means cover only the batches run here).
            EpochSums before = firstBatch > 0 && from != null && from.state().partial() != null
                    ? from.state().partial() : new EpochSums(0, 0, 0, 0, 0, 0, 0, 0);
            double dLoss = before.dLoss(), gLoss = before.gLoss(), dReal = before.dReal(), dFake = before.dFake(),
                    dSquares = before.dSquares(), gSquares = before.gSquares();
            long epochStart = System.nanoTime();
            for (int batch = firstBatch; batch < perEpoch; batch++) {
                if (stop.getAsBoolean()) {
                    EpochSums sums = new EpochSums(before.batches() + batch - firstBatch, dLoss, gLoss, dSquares,
                            gSquares, dReal, dFake, before.seconds() + (System.nanoTime() - epochStart) / 1e9);
                    Path saved = checkpoints.save(generator, discriminator, trainer.average(), spec,
                            new Checkpoints.State(epoch - 1, batch, iteration, sums, config));
                    listener.checkpointWritten(saved);
                    throw new TrainingStoppedException(String.format(java.util.Locale.ROOT,
                            "stopped at epoch %d, iteration %d; checkpoint %s; continue with --resume %s",
                            epoch, iteration, saved, dir.root()));
                }
                batches.fill(batch, trainer.realImages(), trainer.realLabels());
                // Per-iteration seeds: a run resumed mid-epoch draws exactly what the uninterrupted run drew.
                trainer.reseed(Seeds.derive(config.seed(), Seeds.NOISE, iteration),
                        Seeds.derive(config.seed(), Seeds.LABELS, iteration));
                Nd4j.getRandom().setSeed(Seeds.derive(config.seed(), Seeds.DROPOUT, iteration)); // D's dropout masks
                IterationStats stats = trainer.step((int) iteration, epoch - 1,
                        (iteration + 1) % config.dSteps() == 0);
                iteration++;
                garbage.afterIteration(iteration);
                if (!stats.isFinite()) {
                    throw diverged(checkpoints, epoch, iteration, stats);
                }
                dLoss += stats.dLoss();
                gLoss += stats.gLoss();
                dSquares += stats.dLoss() * stats.dLoss();
                gSquares += stats.gLoss() * stats.gLoss();
                dReal += stats.dReal();
                dFake += stats.dFake();
                listener.iteration(epoch, batch + 1, stats);
            }
            double seconds = before.seconds() + (System.nanoTime() - epochStart) / 1e9;
            int done = before.batches() + perEpoch - firstBatch;
            EpochEvaluator.Quality quality = config.evalEvery() > 0 && epoch % config.evalEvery() == 0
                    ? evaluator.evaluate(trainer.samplingGenerator(), spec, epoch) : null;
            last = new EpochStats(epoch, iteration, dLoss / done, gLoss / done, dReal / done,
                    dFake / done, seconds, done * (double) config.batchSize() / seconds,
                    ProcessMemory.residentMegabytes(), sd(dLoss, dSquares, done), sd(gLoss, gSquares, done), quality);
            generator.getConfiguration().setEpochCount(epoch);
            discriminator.getConfiguration().setEpochCount(epoch);
            metricRows.add(last.toCsv(config.evalEvery() > 0));
            writeMetrics(metricRows);
            if (quality != null) {
                log.info(String.format(java.util.Locale.ROOT, "epoch %d quality: classifier score %.3f, frechet distance %.3f%s",
                        epoch, quality.classifierScore(), quality.frechetDistance(), quality.labelAccuracy() == null ? ""
                                : String.format(java.util.Locale.ROOT, ", label accuracy %.4f", quality.labelAccuracy())));
            }
            log.info(String.format(java.util.Locale.ROOT,
                    "epoch %d/%d: d_loss=%.4f g_loss=%.4f D(x)=%.3f D(G(z))=%.3f %.1fs %.0f images/s rss %d MB",
                    epoch, config.epochs(), last.dLoss(), last.gLoss(), last.dReal(), last.dFake(), seconds,
                    last.imagesPerSecond(), last.residentMb()));
            listener.epochFinished(last);

            if (epoch == 1 || epoch % config.sampleEvery() == 0 || epoch == config.epochs()) {
                Path grid = dir.sampleGrid(epoch);
                ImageGrid.writePng(fixed.render(trainer.samplingGenerator(), config.sampleScale(), GRID_SIDE), grid);
                listener.sampleWritten(grid);
            }
            if (epoch % config.checkpointEvery() == 0 || epoch == config.epochs()) {
                Path saved = checkpoints.save(generator, discriminator, trainer.average(), spec,
                        new Checkpoints.State(epoch, 0, iteration, null, config));
                listener.checkpointWritten(saved);
            }
        }
        GeneratorFile.save(trainer.samplingGenerator(), spec, dir.generator(), false);
        double total = (System.nanoTime() - runStart) / 1e9;
        return new Result(dir.root(), config.epochs(), iteration, last, total);
    }

    /**
     * Refuses to resume what cannot continue as asked: a config.json edited since the checkpoint was written
     * (it would misdescribe the model), or fewer epochs than the checkpoint has already trained.
     */
    private void checkResumable(Checkpoints.Loaded from) {
        GanConfig config = record.config();
        Checkpoints.State state = from.state();
        for (ModelSpec described : List.of(record.model(), modelSpec(config, data))) {
            String changed = Differences.describe(from.spec(), described, Set.of());
            if (changed != null) {
                throw new InvalidRunException(dir.config() + ": describes another model than " + from.path()
                        + " holds (" + changed + "); was config.json edited?");
            }
        }
        if (state.config() != null) {
            String changed = Differences.describe(state.config(), config, Set.of("epochs"));
            if (changed != null) {
                throw new InvalidRunException(dir.config() + ": " + changed + " since " + from.path()
                        + " was written; a resumed run keeps its settings (start a new run to change them)");
            }
        }
        boolean partial = state.batch() > 0;
        if (state.epoch() > config.epochs() || (partial && state.epoch() >= config.epochs())) {
            throw new InvalidRunException(dir.root() + ": has already trained " + state.epoch() + " epochs"
                    + (partial ? " and part of the next" : "") + ", more than the " + config.epochs()
                    + " asked for; give --epochs larger than " + state.epoch() + " to train on");
        }
    }

    private static TrainingDivergedException diverged(Checkpoints checkpoints, int epoch, long iteration,
                                                      IterationStats stats) throws IOException {
        List<Path> kept = checkpoints.complete();
        return new TrainingDivergedException(String.format(java.util.Locale.ROOT,
                "training diverged at epoch %d, iteration %d: d_loss=%s, g_loss=%s; %s", epoch, iteration,
                stats.dLoss(), stats.gLoss(), kept.isEmpty() ? "no checkpoint had been written yet"
                        : "the last good checkpoint is " + kept.get(kept.size() - 1)));
    }

    private static double sd(double sum, double squares, int n) {
        double mean = sum / n;
        return Math.sqrt(Math.max(0, squares / n - mean * mean));
    }

    private List<String> metricsUpTo(int epoch) throws IOException {
        List<String> rows = new ArrayList<>();
        if (!Files.exists(dir.metrics())) {
            return rows;
        }
        for (String line : Files.readAllLines(dir.metrics())) {
            int comma = line.indexOf(',');
            if (comma > 0 && Character.isDigit(line.charAt(0))
                    && Integer.parseInt(line.substring(0, comma)) <= epoch) {
                rows.add(line);
            }
        }
        return rows;
    }

    private void writeMetrics(List<String> rows) throws IOException {
        StringBuilder csv = new StringBuilder(EpochStats.CSV_HEADER)
                .append(record.config().evalEvery() > 0 ? EpochStats.QUALITY_HEADER : "").append('\n');
        rows.forEach(row -> csv.append(row).append('\n'));
        AtomicFiles.writeString(dir.metrics(), csv.toString());
    }

    /**
     * The same noise (and, for a cGAN, labels: row r holds digit r) at every sample epoch, so grids over
     * epochs show the same latent points developing.
     */
    static final class FixedSamples {
        private final ModelSpec spec;
        private final INDArray noise;
        private final INDArray labels;

        FixedSamples(ModelSpec spec, int count, long seed) {
            this.spec = spec;
            this.noise = new NoiseSampler(spec.noise(), seed).fill(Nd4j.create(DataType.FLOAT, count, spec.noiseDim()));
            this.labels = spec.conditional() ? Nd4j.zeros(DataType.FLOAT, count, spec.numClasses()) : null;
            if (labels != null) {
                int perRow = count / spec.numClasses();
                for (int i = 0; i < count; i++) {
                    labels.putScalar(i, Math.min(i / perRow, spec.numClasses() - 1), 1.0);
                }
            }
        }

        java.awt.image.BufferedImage render(ComputationGraph generator, int scale, int side) {
            INDArray images = spec.conditional()
                    ? generator.output(false, noise, labels)[0]
                    : generator.outputSingle(false, noise);
            float[] pixels = images.data().asFloat();
            return ImageGrid.render(pixels, (int) images.rows(), spec.rows(), spec.cols(), side, side, scale);
        }
    }
}
