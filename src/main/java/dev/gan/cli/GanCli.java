package dev.gan.cli;

import dev.gan.data.DataException;
import dev.gan.data.DownloadException;
import dev.gan.model.InvalidModelException;
import dev.gan.run.RunLockedException;
import dev.gan.system.BackendUnavailableException;
import dev.gan.train.TrainingDivergedException;
import dev.gan.util.Messages;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The one place a gan {@link CommandLine} is built, shared by {@code main} and the tests: streams, exit
 * codes, and how errors become one line on stderr (with the stack trace only under {@code --verbose}).
 */
public final class GanCli {

    private GanCli() {
    }

    /** What to do when the data cannot be downloaded (offline machines are common). */
    static final String DOWNLOAD_ADVICE = "to go on without a download, give --data DIR, a folder with the MNIST IDX "
            + "files (add --split test for the t10k-* ones), or --dataset fashion after apt-get install "
            + "dataset-fashion-mnist, or another --mirror URL";

    /** What is wrong with the {@code @file} arguments, in one line, or null (see {@link ArgumentFiles}). */
    public static String argumentFileProblem(String[] args) {
        return ArgumentFiles.problem(args);
    }

    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return newCommandLine(out, err, System.getenv());
    }

    /** With the environment given explicitly, so tests can check {@code GAN_<OPTION>} variables. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err, java.util.Map<String, String> environment) {
        GanCommand root = new GanCommand();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        configure(cli);
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        cli.setExecutionStrategy(parseResult -> {
            Logging.setVerbose(root.verbose());
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutOfMemoryError e) {
                // Past the estimates (MemoryBudget): still one line, and no half-written output (files are atomic).
                err.println("gan: out of memory (" + e.getMessage() + "); give gan more with GAN_OPTS=\"-Xmx4g "
                        + "-Dorg.bytedeco.javacpp.maxbytes=8G\", or ask for less");
                if (root.verbose()) {
                    e.printStackTrace(err);
                }
                return ExitCodes.FAILURE;
            }
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            String message = ex instanceof CommandLine.UnmatchedArgumentException unmatched ? unmatched(unmatched)
                    : helpOfUnknown(ex);
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + message
                    + fromEnvironment(ex.getMessage(), args, environment));
            if (root.verbose()) {
                ex.printStackTrace(failed.getErr());
            }
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((thrown, failed, parseResult) -> {
            Exception ex = thrown instanceof java.io.UncheckedIOException unchecked ? unchecked.getCause() : thrown;
            int code = exitCodeOf(ex);
            String message = ex instanceof IOException io ? Messages.describe(io)
                    : ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage();
            if (code == ExitCodes.FAILURE && !(ex instanceof IOException || ex instanceof TrainingDivergedException
                    || ex instanceof DownloadException || ex instanceof BackendUnavailableException)) {
                message = "internal error: " + ex.getClass().getSimpleName() + ": " + message
                        + (root.verbose() ? "" : " (run with --verbose for details)");
            }
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + Messages.firstLine(message));
            if (ex instanceof DownloadException) {
                failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + DOWNLOAD_ADVICE);
            }
            if (root.verbose()) {
                ex.printStackTrace(failed.getErr());
            }
            return code;
        });
        return cli;
    }

    /**
     * What picocli could not place, said of the first word alone ("Unknown options: '--epoch', '5'" named the value
     * too), with the names it resembles: an unknown option, or a word where a command takes subcommands.
     */
    static String unmatched(CommandLine.UnmatchedArgumentException ex) {
        java.util.List<String> words = ex.getUnmatched();
        if (words.isEmpty()) {
            return ex.getMessage();
        }
        String first = words.get(0);
        CommandLine where = ex.getCommandLine();
        if (first.startsWith("-")) {
            String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            return "Unknown option: '" + name + "'" + didYouMean(Resemblance.near(name, optionNames(where)));
        }
        if (!where.getSubcommands().isEmpty()) {
            return notACommand(first, where);
        }
        return ex.getMessage();
    }

    /** "'trian' is not a gan command (did you mean train?)", or "(gan --help lists them)" when none is near. */
    private static String notACommand(String word, CommandLine where) {
        String command = where.getCommandSpec().qualifiedName();
        java.util.List<String> near = Resemblance.near(word, where.getSubcommands().keySet());
        return "'" + word + "' is not a " + command + " command"
                + (near.isEmpty() ? " (" + command + " --help lists them)" : didYouMean(near));
    }

    private static final java.util.regex.Pattern UNKNOWN_SUBCOMMAND =
            java.util.regex.Pattern.compile("Unknown subcommand '(.*)'\\.");

    /** {@code gan help trian}: picocli's help command said "Unknown subcommand 'trian'."; now as gan trian is. */
    static String helpOfUnknown(CommandLine.ParameterException ex) {
        java.util.regex.Matcher unknown = UNKNOWN_SUBCOMMAND.matcher(String.valueOf(ex.getMessage()));
        CommandLine parent = ex.getCommandLine(); // the help command reports on its parent's behalf
        if (!unknown.matches() || parent.getSubcommands().isEmpty()) {
            return ex.getMessage();
        }
        return notACommand(unknown.group(1), parent);
    }

    /** Every name of every option of {@code cli}'s command. */
    static java.util.List<String> optionNames(CommandLine cli) {
        return cli.getCommandSpec().options().stream().flatMap(o -> java.util.Arrays.stream(o.names())).toList();
    }

    /** " (did you mean a, b?)", or nothing for no names. */
    static String didYouMean(java.util.List<String> names) {
        return names.isEmpty() ? "" : " (did you mean " + String.join(", ", names) + "?)";
    }

    /**
     * " (from GAN_THREADS)" when the option a message names was not on the command line but set by its environment
     * variable: a value from a shell profile is otherwise a riddle. Empty otherwise.
     */
    static String fromEnvironment(String message, String[] args, java.util.Map<String, String> environment) {
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("option '(--[a-z0-9-]+)'").matcher(
                message == null ? "" : message);
        if (!named.find()) {
            return "";
        }
        String option = named.group(1);
        for (String arg : args) {
            if (arg.equals(option) || arg.startsWith(option + "=")) {
                return "";
            }
        }
        String variable = EnvironmentDefaults.variableFor(option);
        String value = environment.get(variable);
        return value == null || value.isEmpty() ? "" : " (from " + variable + ")";
    }

    /**
     * A configuration's refusal as picocli words its own: "lr-d must be positive and finite, got 0.0" is "Invalid
     * value for option '--lr-d': must be positive and finite, got 0.0" where lr-d is an option of the command (so is
     * "augment takes translation, cutout ...").
     */
    static String invalidOption(CommandLine cli, String problem) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z][a-z0-9-]*) ((?:must|takes) .*)")
                .matcher(problem);
        if (m.matches() && cli.getCommandSpec().findOption("--" + m.group(1)) != null) {
            return "Invalid value for option '--" + m.group(1) + "': " + m.group(2);
        }
        return "Invalid option: " + problem;
    }

    /** What every gan command line shares, also those built only to check arguments: enum case, number parsing. */
    static CommandLine configure(CommandLine cli) {
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ITypeConverter<Double> finite = text -> {
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
            }
            if (!Double.isFinite(value)) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
            }
            return value;
        };
        cli.registerConverter(Double.class, finite);
        cli.registerConverter(Double.TYPE, finite);
        // An empty argument (a shell variable that was never set) is no file; as a path it would mean the current
        // folder, which no option asks for that way.
        cli.registerConverter(java.nio.file.Path.class, text -> {
            if (text.isBlank()) {
                throw new CommandLine.TypeConversionException("an empty path; name a file or folder");
            }
            return java.nio.file.Path.of(text);
        });
        return cli;
    }

    static int exitCodeOf(Exception e) {
        if (e instanceof DownloadException) {
            return ExitCodes.FAILURE;
        }
        if (e instanceof DataException || e instanceof InvalidModelException || e instanceof UsageException
                || e instanceof dev.gan.model.ModelTooLargeException
                || e instanceof dev.gan.run.InvalidRunException
                || e instanceof dev.gan.run.Ownership.NotReplaceableException
                || e instanceof dev.gan.run.MetricsTable.DamagedException
                || e instanceof dev.gan.experiment.ExperimentException
                || e instanceof dev.gan.util.Json.UnreadableException
                || e instanceof RunLockedException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }
}
