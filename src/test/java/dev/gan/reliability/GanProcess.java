package dev.gan.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code gan} as a separate JVM (same classpath as the tests), for signals, kills and concurrent runs. */
final class GanProcess {

    private final Process process;
    private final Path log;

    private GanProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * A build started in the background by a non-interactive shell inherits SIGINT as ignored, and an ignored
     * signal stays ignored in every child: the Ctrl-C test would see gan never stop. GNU env can restore the
     * default disposition before it execs java (same pid), where it has that option.
     */
    private static final List<String> DEFAULT_SIGNALS = defaultSignalsPrefix();

    private static List<String> defaultSignalsPrefix() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor() == 0 ? List.of("env", "--default-signal=INT") : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    static GanProcess start(Path log, String... args) throws IOException {
        return startWithHeap(log, "1g", args);
    }

    /** With a Java heap of {@code heap} (as -Xmx takes it), e.g. to show that memory stays flat. */
    static GanProcess startWithHeap(Path log, String heap, String... args) throws IOException {
        List<String> command = new ArrayList<>(DEFAULT_SIGNALS);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "dev.gan.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        return new GanProcess(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    /** Exit code, or -1 when it did not end in time (then it is killed). */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    /** Exit code if the process ends within {@code millis}, else -1 (it keeps running). */
    int exitCodeWithin(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    String output() throws IOException {
        return java.nio.file.Files.readString(log);
    }
}
