package dev.gan.cli;

import dev.gan.bench.ClassifierBenchmark;
import dev.gan.bench.MatrixPeak;
import dev.gan.bench.TrainingBenchmark;
import dev.gan.bench.Warmup;
import dev.gan.config.Engine;
import dev.gan.config.GanConfig;
import dev.gan.model.Architecture;
import dev.gan.system.RuntimeInfo;
import dev.gan.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code gan bench}: milliseconds per training iteration and images per second, plain and conditional, or of the
 * digit classifier's training step.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmark the training loop (reference models, synthetic data): median ms/iteration "
                + "and images/s over several timed repetitions after a warm-up.",
        footerHeading = "%nExamples:%n",
        footer = {"  gan bench --threads 1 --repeats 7", "  gan bench --arch lenet   # gan classifier train's step"})
final class BenchCommand implements Callable<Integer> {

    enum Which { plain, conditional, both }

    /** What to time: a GAN of gan train's two architectures, or the digit classifier (LeNet) gan eval trains. */
    enum Arch {
        mlp, dcgan, lenet;

        Architecture gan() {
            return this == dcgan ? Architecture.DCGAN : Architecture.MLP;
        }
    }

    /** One configuration to time, and whether it is the conditional model. */
    private record Timed(GanConfig config, boolean conditional) {
    }

    /** Which engines to time: gan train's default, DL4J's graph methods, or both side by side. */
    enum Engines { direct, graph, both }

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Option(names = "--model", paramLabel = "WHICH", defaultValue = "both",
            description = "plain, conditional or both (default: ${DEFAULT-VALUE}).")
    Which model;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "mlp",
            description = "mlp or dcgan, with the defaults gan train gives it, or lenet: the training step of the "
                    + "digit classifier gan eval judges with, as gan classifier train runs it "
                    + "(default: ${DEFAULT-VALUE}).")
    Arch arch;

    @Option(names = "--hidden", paramLabel = "N", description = "Width: MLP hidden units or DCGAN channels (default: as gan train).")
    Integer hidden;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Batch size (default: 100; for lenet " + ClassifierBenchmark.CLASSIFIER_BATCH
                    + ", gan classifier train's).")
    Integer batchSize;

    @Option(names = "--warmup", paramLabel = "N|auto", defaultValue = "auto", converter = WarmupConverter.class,
            description = "Untimed iterations first: N, or auto: at least 20 and until the JIT compiler has settled "
                    + "(it takes cores from the timed threads while it compiles), at most a minute "
                    + "(default: ${DEFAULT-VALUE}).")
    Warmup warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "100", description = "Iterations per timed repetition (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--engine", paramLabel = "E", defaultValue = "direct",
            description = "direct (the iteration written out over OpenBLAS, gan train's default), graph (DL4J's "
                    + "ComputationGraph methods) or both, side by side (default: ${DEFAULT-VALUE}).")
    Engines engines;

    @Mixin
    JsonOption json;

    /** The runtime, described once, and a 1024x1024 sgemm's GFLOP/s with these threads: what rows are set against. */
    private record Machine(Map<String, Object> info, double peak) {
    }

    @Override
    public Integer call() {
        backend.startComputing(spec.commandLine());
        int batch = batchSize != null ? batchSize : arch == Arch.lenet ? ClassifierBenchmark.CLASSIFIER_BATCH : 100;
        String[] names = {"--batch-size", "--iterations", "--repeats"};
        int[] values = {batch, iterations, repeats};
        for (int i = 0; i < names.length; i++) {
            if (values[i] <= 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '"
                        + names[i] + "': " + values[i] + " (must be positive)");
            }
        }
        var out = spec.commandLine().getOut();
        return arch == Arch.lenet ? timeClassifier(out, batch) : timeGans(out, batch);
    }

    /** The digit classifier's step with each engine asked for. */
    private int timeClassifier(PrintWriter out, int batch) {
        for (String ganOnly : new String[] {"--model", "--hidden"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(ganOnly)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), ganOnly
                        + " does not apply to --arch lenet: it times the digit classifier, which has one shape");
            }
        }
        ClassifierBenchmark.check(batch);
        Machine machine = printHeader(out);
        for (Engine engine : engines()) {
            TrainingBenchmark.Result r = ClassifierBenchmark.measure(engine == Engine.DIRECT, batch,
                    GanConfig.DEFAULT_SEED, warmup, iterations, repeats);
            report(out, machine, r, "classifier", null, batch);
        }
        return ExitCodes.OK;
    }

    /** The plain and/or conditional GAN with each engine asked for. */
    private int timeGans(PrintWriter out, int batch) {
        List<Boolean> kinds = new ArrayList<>();
        if (model != Which.conditional) kinds.add(false);
        if (model != Which.plain) kinds.add(true);
        // Every configuration is built and checked before anything is printed: a refusal is the only output.
        List<Timed> configs = new ArrayList<>();
        for (boolean conditional : kinds) {
            for (Engine engine : engines()) {
                GanConfig config;
                try {
                    GanConfig base = GanConfig.reference(conditional).arch(arch.gan()).build().withBatchSize(batch);
                    config = (hidden != null ? base.withHidden(hidden) : base).withEngine(engine);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            GanCli.invalidOption(spec.commandLine(), e.getMessage()));
                }
                TrainingBenchmark.check(config);
                configs.add(new Timed(config, conditional));
            }
        }
        Machine machine = printHeader(out);
        for (Timed timed : configs) {
            GanConfig config = timed.config();
            TrainingBenchmark.Result r = TrainingBenchmark.measure(config, warmup, iterations, repeats);
            String name = (timed.conditional() ? "conditional" : "plain") + (arch == Arch.mlp ? "" : " " + arch.name());
            report(out, machine, r, name, config.model().hidden(), batch);
        }
        return ExitCodes.OK;
    }

    /** The machine line and the sgemm peak (text), and the machine for the rows. */
    private Machine printHeader(PrintWriter out) {
        Map<String, Object> info = RuntimeInfo.describe();
        if (!json.enabled) {
            out.printf("backend %s, %s, omp threads %s, blas threads %s, %d cores%n", info.get("backend"),
                    info.get("blas vendor"), info.get("omp threads"), info.get("blas threads"),
                    Runtime.getRuntime().availableProcessors());
        }
        double peak = MatrixPeak.gflops(1024, 5);
        if (!json.enabled) {
            out.printf(Locale.ROOT, "machine: %.1f GFLOP/s in a 1024x1024 sgemm with these threads%n", peak);
            out.println("model              batch  median ms/it  min     max      images/s  GFLOP/it  GFLOP/s  of peak"
                    + "  heap MB  off-heap MB  rss MB  warm-up");
        }
        return new Machine(info, peak);
    }

    /** --warmup's N or auto, refused with the option's name. */
    static final class WarmupConverter implements picocli.CommandLine.ITypeConverter<Warmup> {
        @Override
        public Warmup convert(String value) {
            try {
                return Warmup.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    private List<Engine> engines() {
        return switch (engines) {
            case direct -> List.of(Engine.DIRECT);
            case graph -> List.of(Engine.GRAPH);
            case both -> List.of(Engine.DIRECT, Engine.GRAPH);
        };
    }

    /**
     * One timed row, as text or as a JSON object ({@code hidden} null: not a GAN), named by the engine that ran:
     * gan's own passes fall back to DL4J's graphs where they cannot run (CUDA).
     */
    private void report(PrintWriter out, Machine machine, TrainingBenchmark.Result r, String model, Integer hidden,
                        int batch) {
        Engine engine = r.direct() ? Engine.DIRECT : Engine.GRAPH;
        String name = model + (engine == Engine.GRAPH ? " graph" : "");
        if (json.enabled) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", name);
            row.put("arch", arch.name());
            row.put("engine", engine.name().toLowerCase(Locale.ROOT));
            if (hidden != null) {
                row.put("hidden", hidden);
            }
            row.put("batch_size", batch);
            row.put("median_ms_per_iteration", r.medianMs());
            row.put("images_per_second", r.imagesPerSecond());
            row.put("ms_per_iteration", r.msPerIteration());
            row.put("gflop_per_iteration", r.flopsPerIteration() / 1e9);
            row.put("gflops", r.gflops());
            row.put("sgemm_peak_gflops", machine.peak());
            row.put("heap_bytes", r.heapBytes());
            row.put("off_heap_bytes", r.offHeapBytes());
            row.put("resident_mb", r.residentMb());
            row.put("warmup_iterations", r.warmup().iterations());
            row.put("warmup_seconds", r.warmup().seconds());
            row.put("jit_settled", r.warmup().jitSettled());
            row.put("backend", machine.info().get("backend"));
            out.println(Json.compact(row));
        } else {
            Warmup.Done warm = r.warmup();
            out.printf(Locale.ROOT, "%-18s %5d  %12.2f  %-7.2f %-8.2f %8.0f  %8.3f  %7.1f  %6.0f%%  %7d  %11d  %6d  %d it, %.1f s%s%n",
                    name, batch, r.medianMs(), r.minMs(), r.maxMs(), r.imagesPerSecond(),
                    r.flopsPerIteration() / 1e9, r.gflops(), 100 * r.gflops() / machine.peak(), r.heapBytes() >> 20,
                    r.offHeapBytes() >> 20, r.residentMb(), warm.iterations(), warm.seconds(),
                    Boolean.FALSE.equals(warm.jitSettled()) ? " (JIT still compiling)" : "");
        }
    }
}
