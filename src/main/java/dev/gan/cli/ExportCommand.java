package dev.gan.cli;

import dev.gan.export.OnnxGenerator;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InvalidModelException;
import dev.gan.model.ModelSpec;
import dev.gan.run.RunRecord;
import dev.gan.system.RuntimeInfo;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import onnx.Onnx;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan export}: a trained generator as a file other runtimes run. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a trained generator as an ONNX model: inputs z [N, noise] (and label [N, 10] one-hot "
                + "for a cGAN), output image [N, 1, 28, 28] in [0, 1]; a run with --ema exports its moving average.",
        footerHeading = "%nExamples:%n",
        footer = {"  gan export --run runs/cgan --out cgan.onnx",
                "  python3 -c \"import onnxruntime as ort, numpy as np; s = ort.InferenceSession('cgan.onnx'); "
                        + "print(s.run(None, {'z': np.random.uniform(-1, 1, (1, 128)).astype('float32'), "
                        + "'label': np.eye(10, dtype='float32')[[7]]})[0].shape)\""})
final class ExportCommand implements Callable<Integer> {

    enum Format { ONNX }

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    /** --run or --model (picocli's annotation processor gives a group class's options to one command only). */
    static final class Source {
        @Option(names = "--run", paramLabel = "RUN_DIR", required = true,
                description = "A run directory: its generator.zip (default: the newest finished run in --runs).")
        Path run;

        @Option(names = "--model", paramLabel = "FILE", required = true,
                description = "A generator.zip, or a checkpoint (directory or its generator.zip).")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source given;

    @Mixin
    RunsOption runs;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "onnx",
            description = "onnx (the only one so far) (default: ${DEFAULT-VALUE}).")
    Format format;

    /** The default output, in the current folder. */
    static final Path DEFAULT_OUT = Path.of("generator.onnx");

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write it; an existing file is replaced only with --force (default: generator.onnx, "
                    + "numbered on where taken: generator-2.onnx, never overwritten).")
    Path out;

    @Option(names = "--force", description = "Replace --out (generator.onnx without --out) if it exists.")
    boolean force;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException, InvalidModelException {
        Path named = out == null && force ? DEFAULT_OUT : out;
        if (named != null) {
            checkOutput(named);
            return exportTo(named);
        }
        // generator.onnx, else generator-2.onnx and on, as gan sample names its outputs: never overwritten
        checkFolder(DEFAULT_OUT);
        Path claimed = AtomicFiles.claimNumbered("generator", ".onnx", name -> AtomicFiles.claim(name, false));
        try {
            return exportTo(claimed);
        } finally {
            AtomicFiles.release(claimed);
        }
    }

    /** Refuses an output gan may not write: a folder, a file there without --force, in a folder it cannot write in. */
    private void checkOutput(Path target) {
        if (Files.isDirectory(target)) {
            throw new UsageException(target + ": is a folder; name a file to write"); // even with --force
        }
        if (Files.exists(target) && !force) {
            throw new UsageException(target + ": exists; name another --out, or give --force to replace it");
        }
        checkFolder(target);
    }

    private static void checkFolder(Path target) {
        Path folder = target.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new UsageException(target + ": cannot be written (" + folder + " is not a writable folder)");
        }
    }

    private Integer exportTo(Path target) throws IOException, InvalidModelException {
        CommandLine cli = spec.commandLine();
        backend.startComputing(cli);
        GeneratorSource source = new GeneratorSource();
        if (given != null) {
            source.run = given.run;
            source.model = given.model;
        }
        source = GeneratorSource.orNewest(given != null ? source : null, runs, cli.getErr(), "export");
        Path file = source.existingFile();
        GeneratorFile.Loaded loaded = GeneratorFile.load(file, false);
        ModelSpec model = loaded.spec();
        Onnx.ModelProto onnx;
        try {
            onnx = OnnxGenerator.of(loaded.generator(), model, description(model, RunRecords.forGenerator(source.run,
                    source.model), file));
        } catch (OnnxGenerator.UnsupportedModelException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        byte[] bytes = onnx.toByteArray();
        AtomicFiles.write(target, stream -> stream.write(bytes));
        if (json.enabled) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model", file.toString());
            summary.put("out", target.toString());
            summary.put("bytes", bytes.length);
            summary.put("opset", OnnxGenerator.OPSET);
            cli.getOut().println(Json.compact(summary));
        } else {
            cli.getOut().printf(Locale.ROOT, "wrote %s (%,d bytes, ONNX opset %d) from %s%n", target, bytes.length,
                    OnnxGenerator.OPSET, file);
        }
        return ExitCodes.OK;
    }

    /** What a user of the file needs to feed it, and where it came from. */
    private static Map<String, String> description(ModelSpec model, RunRecord record, Path file) {
        Map<String, String> description = new LinkedHashMap<>();
        description.put("gan.version", RuntimeInfo.ganVersion());
        description.put("architecture", model.arch().name().toLowerCase(Locale.ROOT));
        description.put("conditional", Boolean.toString(model.conditional()));
        description.put("noise", model.noise().name().toLowerCase(Locale.ROOT));
        description.put("noise_dim", Integer.toString(model.noiseDim()));
        description.put("classes", Integer.toString(model.conditional() ? model.numClasses() : 0));
        description.put("image", "1x" + model.rows() + "x" + model.cols());
        description.put("source", file.toAbsolutePath().toString());
        if (record != null) {
            description.put("recipe", record.config().recipe());
            description.put("seed", Long.toString(record.config().seed()));
            description.put("ema", Double.toString(record.config().tricks().ema()));
        }
        return description;
    }
}
