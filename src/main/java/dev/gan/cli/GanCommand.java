package dev.gan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code gan} command: only subcommands and global options. */
@Command(name = "gan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train and sample generative adversarial networks on MNIST-style images (Deeplearning4j).",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, ExportCommand.class, ClassifierCommand.class, ExperimentCommand.class, ReportCommand.class, BenchCommand.class, InfoCommand.class, CompletionCommand.class,
                picocli.CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  gan train --data ~/data/mnist --epochs 100",
                "  gan train --conditional --out runs/cgan",
                "  gan train --resume runs/cgan",
                "  gan sample --run runs/cgan --digit 7 --out sevens.png",
                "  gan eval --run runs/cgan",
                "  gan info",
                "",
                "Exit codes: 0 success, 1 runtime failure, 2 bad option or bad input file."})
public final class GanCommand implements Runnable {

    private boolean verbose;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log everything at INFO and show stack traces on errors.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "missing subcommand (try gan --help)");
    }
}
