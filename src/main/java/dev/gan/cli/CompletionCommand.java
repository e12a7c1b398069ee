package dev.gan.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code gan completion}: a bash/zsh completion script, e.g. {@code source <(gan completion)}. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for gan: source <(gan completion)")
final class CompletionCommand implements Runnable {

    /**
     * Completes run directories: folders that hold a config.json, among those the word names and those in the
     * runs folder ($GAN_RUNS, else ./runs). Picocli completes paths with any file; a run is what these options take.
     */
    static final String RUN_DIRECTORIES_FUNCTION = """
            # gan: run directories (folders with a config.json) matching $1, also in ${GAN_RUNS:-runs}/
            _gan_run_dirs() {
              local d
              for d in $(compgen -d -- "$1") $(compgen -d -- "${GAN_RUNS:-runs}/"); do
                [ -f "$d/config.json" ] && [[ "$d" == "$1"* ]] && printf '%s\\n' "$d"
              done
            }
            """;

    /** The options whose value is a run directory. */
    private static final List<String> RUN_OPTIONS = List.of("--run", "--resume");

    /** The shells the script serves: picocli's bash script loads bashcompinit under zsh. */
    enum Shell { bash, zsh }

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL",
            description = "bash or zsh (the same script serves both; default: bash).")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(script(spec));
    }

    static String script(CommandSpec spec) {
        String script = AutoComplete.bash("gan", spec.root().commandLine());
        for (String option : RUN_OPTIONS) {
            Pattern files = Pattern.compile("('" + Pattern.quote(option) + "'\\)\\n(?:[^\\n]*\\n){2}\\s*)"
                    + Pattern.quote("COMPREPLY=( $( compgen -f -- \"${curr_word}\" ) ) # files"));
            script = files.matcher(script).replaceAll("$1"
                    + Matcher.quoteReplacement("COMPREPLY=( $( _gan_run_dirs \"${curr_word}\" ) ) # run directories"));
        }
        int body = script.indexOf("\nfunction ");
        return script.substring(0, body + 1) + RUN_DIRECTORIES_FUNCTION + script.substring(body + 1);
    }
}
