package dev.gan.train;

import dev.gan.config.GanConfig;
import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.ImageDataset;
import dev.gan.image.ImageGrid;
import dev.gan.model.Architecture;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InputGradientGraph;
import dev.gan.model.MemoryBudget;
import dev.gan.model.ModelSpec;
import dev.gan.run.Checkpoints;
import dev.gan.run.CollapseWatch;
import dev.gan.run.EpochSums;
import dev.gan.run.InvalidRunException;
import dev.gan.run.MetricsTable;
import dev.gan.run.RunDirectory;
import dev.gan.run.RunLock;
import dev.gan.run.RunRecord;
import dev.gan.system.NativeGarbage;
import dev.gan.system.RuntimeInfo;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Checksums;
import dev.gan.util.Differences;
import dev.gan.util.Messages;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A whole training run in a run directory: {@link #start} a new one or {@link #resume} one (either holds the
 * directory's lock until closed), then {@link #train}: it builds or restores the networks, trains epoch after
 * epoch, and leaves metrics, sample grids, checkpoints and the final generator behind. No printing: progress
 * goes to the {@link TrainingListener} and to the log.
 */
public final class TrainingRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);
    /** Sample grids are GRID_SIDE x GRID_SIDE images. */
    public static final int GRID_SIDE = 10;
    private static final int CHECKPOINTS_KEPT = 3;

    /** How a finished run ended. */
    public record Result(Path runDir, int epochs, long iterations, EpochStats last, double seconds) {
    }

    /** Finds the data files of a new run, downloading them if need be; called once the run directory is ready. */
    @FunctionalInterface
    public interface DataLocator {
        DataFiles locate() throws DataException;
    }

    private final RunRecord record;
    private final RunDirectory dir;
    private final ImageDataset data;
    private final RunLock lock;
    private final boolean resuming;

    private TrainingRun(RunRecord record, RunDirectory dir, ImageDataset data, RunLock lock, boolean resuming) {
        this.record = record;
        this.dir = dir;
        this.data = data;
        this.lock = lock;
        this.resuming = resuming;
    }

    /**
     * A new run of {@code config} in {@code root}, locked until {@link #close()}: refuses a place a run must not go
     * (see {@link RunDirectory#checkLocation}), clears an old run there only with {@code overwrite}, loads the
     * data, checks that the model fits the data and the memory, and assembles the run's record (config.json is
     * written when training starts).
     */
    public static TrainingRun start(GanConfig config, DataLocator locator, Path root, boolean overwrite,
                                    Path workingDir) throws IOException, DataException {
        RunDirectory dir = new RunDirectory(root);
        dir.checkLocation(config.data().dataDir(), workingDir);
        RunLock lock = RunLock.acquire(root);
        try {
            dir.prepareForNewRun(overwrite);
            DataFiles files = locator.locate();
            ImageDataset data = ImageDataset.load(files, config.data().limit());
            int batchSize = config.schedule().batchSize();
            if (batchSize > data.count()) {
                throw new InvalidRunException("Invalid value for option '--batch-size': " + batchSize
                        + " is larger than the data set (" + Messages.count(data.count(), "image") + ")");
            }
            RunRecord record = new RunRecord(config, checkedModelSpec(config, data), RunRecord.DataRecord.of(files, data),
                    RuntimeInfo.describe(), OffsetDateTime.now().toString(), RunRecord.RecipeRecord.of(config));
            return new TrainingRun(record, dir, data, lock, false);
        } catch (IOException | DataException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * The run in {@code root}, to continue from its newest checkpoint with the settings its config.json records,
     * locked until {@link #close()}; {@code epochs} (null: as recorded) changes how many epochs it trains in all.
     * The data must be the files it started with (same SHA-256).
     */
    public static TrainingRun resume(Path root, Integer epochs) throws IOException, DataException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new InvalidRunException(root + ": is a file; --resume needs a run directory made by gan train");
        }
        RunDirectory dir = new RunDirectory(root);
        if (!Files.isRegularFile(dir.config())) {
            throw new InvalidRunException(dir.config() + ": not found; --resume needs a run directory made by gan train");
        }
        RunLock lock = RunLock.acquire(root);
        try {
            RunRecord record = RunRecord.read(dir.config());
            if (epochs != null) {
                record = record.withEpochs(epochs);
            }
            return new TrainingRun(record, dir, loadRecordedData(record), lock, true);
        } catch (IOException | DataException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static ImageDataset loadRecordedData(RunRecord record) throws IOException, DataException {
        RunRecord.DataRecord recorded = record.data();
        for (Path file : new Path[] {recorded.images(), recorded.labels()}) {
            if (!Files.isRegularFile(file)) {
                throw new DataException(file + ": the data this run was trained on is gone");
            }
        }
        if (!Checksums.sha256(recorded.images()).equals(recorded.imagesSha256())
                || !Checksums.sha256(recorded.labels()).equals(recorded.labelsSha256())) {
            throw new DataException(recorded.images() + ": data changed since the run started (SHA-256 differs)");
        }
        return ImageDataset.load(new DataFiles(recorded.images(), recorded.labels()), record.config().data().limit());
    }

    /** The model for this data, refused (exit 2) when the architecture cannot take it or it cannot fit. */
    private static ModelSpec checkedModelSpec(GanConfig config, ImageDataset data) {
        ModelSpec spec;
        try {
            spec = modelSpec(config, data);
        } catch (IllegalArgumentException e) {
            throw new InvalidRunException(e.getMessage());
        }
        MemoryBudget.requireForTraining(spec, config.schedule().batchSize(), config.tricks().pack(),
                config.tricks().ema() > 0);
        int scale = config.schedule().sampleScale();
        if (ImageGrid.pixels(spec.rows(), spec.cols(), GRID_SIDE, GRID_SIDE, scale) > ImageGrid.MAX_PIXELS) {
            throw new InvalidRunException("Invalid value for option '--sample-scale': " + scale
                    + " makes the " + GRID_SIDE + "x" + GRID_SIDE + " sample grid of " + spec.rows() + "x" + spec.cols()
                    + " images larger than " + ImageGrid.MAX_PIXELS + " pixels");
        }
        return spec;
    }

    public RunRecord record() {
        return record;
    }

    public RunDirectory directory() {
        return dir;
    }

    /** Releases the run directory's lock. */
    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** The model a configuration defines on a data set of this shape. */
    public static ModelSpec modelSpec(GanConfig config, ImageDataset data) {
        GanConfig.Model model = config.model();
        return new ModelSpec(model.conditional(), model.noiseDim(), model.noise(), model.hidden(), data.rows(),
                data.cols(), data.numClasses(), model.weightInit(), model.arch());
    }

    /**
     * Trains to the last epoch: a new run from scratch, a resumed one from its newest readable checkpoint.
     *
     * @param stop      polled before every iteration; when it turns true the run writes a checkpoint at the
     *                  current iteration and ends with {@link TrainingStoppedException} (the command line wires it
     *                  to Ctrl-C and SIGTERM)
     * @param evaluator judges the generator every {@code evalEvery} epochs (required when that is set)
     */
    public Result train(TrainingListener listener, BooleanSupplier stop, EpochEvaluator evaluator) throws IOException {
        if (record.config().schedule().evalEvery() > 0 && evaluator == null) {
            throw new IllegalArgumentException("eval-every is set but no evaluator was given");
        }
        GanConfig config = record.config();
        ModelSpec spec = record.model();
        Checkpoints checkpoints = new Checkpoints(dir.checkpoints(), CHECKPOINTS_KEPT);
        if (resuming) {
            dir.removeUnfinishedWrites();
        }
        Checkpoints.Loaded from = resuming ? checkpoints.loadLatest().orElse(null) : null;
        if (from != null) {
            for (String skipped : from.skipped()) {
                String message = skipped + "; resuming from " + from.path() + " instead";
                log.info(message);
                listener.warning(message);
            }
            checkResumable(from);
            record.write(dir.config()); // --epochs may have changed: config.json describes the run as it goes on
        } else if (resuming && !metricsUpTo(Integer.MAX_VALUE).isEmpty()) {
            // Epochs were trained and their checkpoints are gone (deleted by hand): say so before starting over.
            String message = dir.root() + " has no checkpoint left to resume from (its metrics.csv records trained "
                    + "epochs): training it again from epoch 1, with the same settings and seed";
            log.info(message);
            listener.warning(message);
        }

        GanTrainer trainer;
        int startEpoch;
        int startBatch;
        long iteration;
        List<String> metricRows = new ArrayList<>();
        if (from != null) {
            trainer = GanTrainer.restore(config, spec, from.generator(), from.discriminator(),
                    from.averageParameters());
            if (from.state().engine() != null) {
                trainer.restoreEngineState(from.state().engine());
            }
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

        GanConfig.Schedule schedule = config.schedule();
        ShuffledBatches batches = new ShuffledBatches(data, schedule.batchSize());
        FixedSamples fixed = new FixedSamples(spec, GRID_SIDE * GRID_SIDE,
                Seeds.derive(config.seed(), Seeds.FIXED_SAMPLES, 0));
        int perEpoch = batches.batchesPerEpoch();
        NativeGarbage garbage = NativeGarbage.forTraining(config.model().arch() == Architecture.DCGAN, !trainer.direct());
        listener.started(startEpoch, schedule.epochs(), perEpoch);
        CollapseWatch collapseWatch = new CollapseWatch(meanDFakeOf(metricRows));
        long runStart = System.nanoTime();
        EpochStats last = null;

        for (int epoch = startEpoch + 1; epoch <= schedule.epochs(); epoch++) {
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
                            new Checkpoints.State(epoch - 1, batch, iteration, sums, config,
                                    trainer.engineState()));
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
                        (iteration + 1) % config.tricks().dSteps() == 0);
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
            EpochEvaluator.Quality quality = schedule.evalEvery() > 0 && epoch % schedule.evalEvery() == 0
                    ? evaluator.evaluate(trainer.samplingGenerator(), spec, epoch) : null;
            // The fixed noise's images, drawn every epoch (100 images: milliseconds) to watch for a collapse.
            float[] fixedImages = fixed.draw(trainer.samplingGenerator());
            double spread = CollapseWatch.spread(fixedImages, GRID_SIDE * GRID_SIDE, spec.rows() * spec.cols());
            CollapseWatch.Verdict collapse = collapseWatch.afterEpoch(dFake / done, spread, iteration);
            last = new EpochStats(epoch, iteration, dLoss / done, gLoss / done, dReal / done,
                    dFake / done, seconds, done * (double) schedule.batchSize() / seconds,
                    ProcessMemory.residentMegabytes(), sd(dLoss, dSquares, done), sd(gLoss, gSquares, done), quality,
                    spread, collapse);
            generator.getConfiguration().setEpochCount(epoch);
            discriminator.getConfiguration().setEpochCount(epoch);
            metricRows.add(last.toCsv(schedule.evalEvery() > 0));
            writeMetrics(metricRows);
            if (quality != null) {
                log.info(String.format(java.util.Locale.ROOT, "epoch %d quality: classifier score %.3f, frechet distance %.3f%s",
                        epoch, quality.classifierScore(), quality.frechetDistance(), quality.labelAccuracy() == null ? ""
                                : String.format(java.util.Locale.ROOT, ", label accuracy %.4f", quality.labelAccuracy())));
            }
            log.info(String.format(java.util.Locale.ROOT,
                    "epoch %d/%d: d_loss=%.4f g_loss=%.4f D(x)=%.3f D(G(z))=%.3f %.1fs %.0f images/s rss %d MB",
                    epoch, schedule.epochs(), last.dLoss(), last.gLoss(), last.dReal(), last.dFake(), seconds,
                    last.imagesPerSecond(), last.residentMb()));
            listener.epochFinished(last);
            if (collapseWatch.firstReport(collapse)) {
                String message = CollapseWatch.describe(collapse, epoch);
                log.info(message);
                listener.warning(message);
            }

            if (epoch == 1 || epoch % schedule.sampleEvery() == 0 || epoch == schedule.epochs()) {
                Path grid = dir.sampleGrid(epoch);
                ImageGrid.writePng(fixed.render(fixedImages, schedule.sampleScale(), GRID_SIDE), grid);
                listener.sampleWritten(grid);
            }
            if (epoch % schedule.checkpointEvery() == 0 || epoch == schedule.epochs()) {
                Path saved = checkpoints.save(generator, discriminator, trainer.average(), spec,
                        new Checkpoints.State(epoch, 0, iteration, null, config, trainer.engineState()));
                listener.checkpointWritten(saved);
            }
        }
        GeneratorFile.save(trainer.samplingGenerator(), spec, dir.generator(), false);
        double total = (System.nanoTime() - runStart) / 1e9;
        return new Result(dir.root(), schedule.epochs(), iteration, last, total);
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
        if (state.epoch() > config.schedule().epochs() || (partial && state.epoch() >= config.schedule().epochs())) {
            throw new InvalidRunException(dir.root() + ": has already trained " + state.epoch() + " epochs"
                    + (partial ? " and part of the next" : "") + ", more than the " + config.schedule().epochs()
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
        try {
            MetricsTable.read(dir.metrics()); // only to refuse a damaged table: its rows are kept as written
        } catch (MetricsTable.DamagedException e) {
            throw new InvalidRunException(e.getMessage() + "; the checkpoints are intact: move it aside to resume "
                    + "without the earlier epochs' rows");
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

    /** The D(G(z)) column of metrics rows, oldest first. */
    private static double[] meanDFakeOf(List<String> rows) {
        int column = MetricsTable.COLUMNS.indexOf(MetricsTable.D_FAKE);
        return rows.stream().mapToDouble(row -> Double.parseDouble(row.split(",")[column])).toArray();
    }

    private void writeMetrics(List<String> rows) throws IOException {
        boolean quality = record.config().schedule().evalEvery() > 0;
        StringBuilder csv = new StringBuilder(MetricsTable.header(quality)).append('\n');
        rows.forEach(row -> csv.append(row).append('\n'));
        AtomicFiles.writeString(dir.metrics(), csv.toString());
    }

    /**
     * The same noise (and, for a cGAN, labels: row r holds digit r; for --noise categorical, row r holds category
     * r) at every sample epoch, so grids over epochs show the same latent points developing.
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
                oneHotByRow(labels, 0, spec.numClasses());
            }
            int continuous = spec.noise().continuousSize(spec.noiseDim());
            if (continuous < spec.noiseDim()) {
                oneHotByRow(noise, continuous, spec.noiseDim() - continuous);
            }
        }

        /** Columns from..from+classes-1 of {@code rows} one-hot, class r on the grid's row r. */
        private static void oneHotByRow(INDArray rows, int from, int classes) {
            int count = (int) rows.rows();
            int perRow = count / classes;
            for (int i = 0; i < count; i++) {
                int chosen = Math.min(i / perRow, classes - 1);
                for (int k = 0; k < classes; k++) {
                    rows.putScalar(i, from + k, k == chosen ? 1.0 : 0.0);
                }
            }
        }

        INDArray noise() {
            return noise;
        }

        INDArray labels() {
            return labels;
        }

        /** The images of the fixed noise (and labels), row after row. */
        float[] draw(ComputationGraph generator) {
            INDArray images = spec.conditional()
                    ? generator.output(false, noise, labels)[0]
                    : generator.outputSingle(false, noise);
            return images.data().asFloat();
        }

        java.awt.image.BufferedImage render(float[] pixels, int scale, int side) {
            return ImageGrid.render(pixels, (int) noise.rows(), spec.rows(), spec.cols(), side, side, scale);
        }
    }
}
