package dev.gan.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two launchers, bin/gan (bash: Linux, macOS) and bin/gan.cmd (Windows), give gan the same start: the same
 * JVM options, the same thread and BLAS defaults, --threads read before Java starts, paths quoted. cmd cannot run
 * here, so its script is read; bash's runs in CI from a folder with spaces (.ci/run).
 */
class LaunchersTest {

    private static final Path BIN = Path.of("src", "main", "dist", "bin");

    private static String bash() throws IOException {
        return Files.readString(BIN.resolve("gan"));
    }

    private static String cmd() throws IOException {
        return Files.readString(BIN.resolve("gan.cmd"));
    }

    @Test
    void bothStartTheJvmWithTheSameOptions() throws IOException {
        for (String option : List.of("-Xms256m", "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=3G",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-Dgan.launcher=", "dev.gan.Main", "$JAVA_OPTS")) {
            assertThat(bash()).as("bin/gan").contains(option);
            assertThat(cmd()).as("bin/gan.cmd").contains(option.replace("$JAVA_OPTS", "%JAVA_OPTS%"));
        }
        assertThat(cmd()).contains("%GAN_OPTS%", "-cp \"%GAN_HOME%\\lib\\*\"", "\"-Dgan.launcher=%GAN_HOME%\\bin\\gan.cmd\"");
    }

    @Test
    void bothLeaveAHeapTheUserSizesToTheUser() throws IOException {
        assertThat(bash()).contains("case \" $JAVA_OPTS $GAN_OPTS \" in", "*\" -Xmx\"*|*\" -Xms\"*", "default_opts=() ;;");
        assertThat(cmd()).contains("echo. %JAVA_OPTS% %GAN_OPTS% | findstr /c:\"-Xmx\" /c:\"-Xms\"", "&& set \"heap=\"",
                "\"%JAVA%\" %heap% ");
    }

    @Test
    void bothSetTheSameThreadDefaultsAndLetTheUsersEnvironmentWin() throws IOException {
        for (String[] variable : new String[][] {{"OMP_WAIT_POLICY", "passive"}, {"ND4J_SKIP_BLAS_THREADS", "1"},
                {"OPENBLAS_NUM_THREADS", "1"}}) {
            assertThat(bash()).contains(": \"${" + variable[0] + ":=" + variable[1] + "}\"");
            assertThat(cmd()).contains("if not defined " + variable[0] + " set \"" + variable[0] + "=" + variable[1] + "\"");
        }
        assertThat(bash()).contains("GAN_THREADS", "--threads=*", "\"--threads\"", "OMP_NUM_THREADS=\"$threads\"");
        assertThat(cmd()).contains("%GAN_THREADS%", "\"--threads\"", "set \"OMP_NUM_THREADS=%~1\"",
                "%NUMBER_OF_PROCESSORS%");
    }

    @Test
    void theBashLauncherTakesTheHomeDirectoryFromHomeBeforeTheUsersOptions() throws IOException {
        String script = bash();

        assertThat(script).contains("default_opts+=(\"-Duser.home=$HOME\")");
        assertThat(script.indexOf("-Duser.home=$HOME")).as("the user's JAVA_OPTS come later on the command line")
                .isLessThan(script.lastIndexOf("$JAVA_OPTS $GAN_OPTS"));
    }

    @Test
    void theBashLauncherGivesEachCommandItsJitSettingsBeforeTheUsersOptions(@TempDir Path home)
            throws IOException, InterruptedException {
        install(home, "echo \"$@\""); // a "java" that prints the arguments it is given

        String eval = launch(home, "eval", "--run", "somewhere");
        String train = launch(home, "train", "--epochs", "1");
        String sample = launch(home, "sample", "--digit", "7");

        assertThat(eval).as("eval compiles less").contains("-XX:CompileThresholdScaling=3 ");
        assertThat(eval.indexOf("-XX:CompileThresholdScaling=3")).as("the user's JAVA_OPTS come later and win")
                .isLessThan(eval.indexOf("-XX:CompileThresholdScaling=1"));
        assertThat(train).as("a training run keeps the JVM's defaults").doesNotContain("-XX:CompileThresholdScaling=3",
                "-XX:TieredStopAtLevel=1");
        assertThat(sample).as("a short command runs on C1").contains("-XX:TieredStopAtLevel=1")
                .doesNotContain("-XX:CompileThresholdScaling=3");
    }

    @Test
    void theBashLauncherSizesOpenMpByTheCoresTheProcessMayUse(@TempDir Path home)
            throws IOException, InterruptedException {
        assumeTrue(new File("/usr/bin/taskset").canExecute(), "taskset (util-linux) is not installed");
        install(home, "echo \"OMP_NUM_THREADS=$OMP_NUM_THREADS\"");

        ProcessBuilder builder = new ProcessBuilder("/usr/bin/taskset", "-c", "0", "bash",
                home.resolve("bin/gan").toString(), "info").redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", home.resolve("jdk").toString());
        builder.environment().put("GAN_NO_CDS", "1");
        builder.environment().keySet().removeAll(List.of("OMP_NUM_THREADS", "OMP_THREAD_LIMIT", "GAN_THREADS"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(out).isZero();
        assertThat(out.strip()).as("one core in the mask").isEqualTo("OMP_NUM_THREADS=1");
    }

    @Test
    void theWindowsLauncherGivesTheSameCommandsTheSameJitSettingsBeforeTheUsersOptions() throws IOException {
        Matcher shortOnes = Pattern.compile("\\n  ([a-z|\\-VAh]+)\\|\"\"\\)\\n    default_opts\\+=\\(-XX:TieredStopAtLevel=1 "
                + "-XX:\\+UseSerialGC\\)").matcher(bash());
        assertThat(shortOnes.find()).as("bin/gan's list of short commands").isTrue();
        String script = cmd();

        assertThat(script).contains("for %%c in (" + shortOnes.group(1).replace('|', ' ') + ") do if /i \"%~1\"==\"%%c\" "
                        + "set \"jit=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\"",
                "if \"%~1\"==\"\" set \"jit=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\"",
                "if /i \"%~1\"==\"eval\" set \"jit=-XX:CompileThresholdScaling=3\"");
        assertThat(bash()).contains("eval) command=eval; default_opts+=(-XX:CompileThresholdScaling=3) ;;");
        assertThat(script.indexOf("%jit%")).as("the user's JAVA_OPTS come later and win")
                .isPositive().isLessThan(script.indexOf("%JAVA_OPTS% %GAN_OPTS% -cp"));
    }

    /** An installation in {@code home}: bin/gan, and for its java the shell command {@code java}. */
    private static void install(Path home, String java) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("jdk/bin"));
        Files.copy(BIN.resolve("gan"), home.resolve("bin/gan"));
        Files.writeString(home.resolve("jdk/bin/java"), "#!/bin/sh\n" + java + "\n").toFile().setExecutable(true);
    }

    /** What the launcher in {@code home} passes to java for these arguments (no archive; the user asks for scaling 1). */
    private static String launch(Path home, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", home.resolve("bin/gan").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", home.resolve("jdk").toString());
        builder.environment().put("GAN_NO_CDS", "1");
        builder.environment().put("JAVA_OPTS", "-XX:CompileThresholdScaling=1");
        builder.environment().remove("GAN_OPTS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theWindowsLauncherCallsOnlyLabelsItHasAndEndsWithJavasExitCode() throws IOException {
        String script = cmd();
        Matcher calls = Pattern.compile("call :(\\w+)").matcher(script);
        while (calls.find()) {
            assertThat(script).as("label of call :" + calls.group(1)).containsPattern("(?m)^:" + calls.group(1) + "$");
        }
        assertThat(script).startsWith("@echo off").contains("exit /b %ERRORLEVEL%", "setlocal DisableDelayedExpansion");
        assertThat(script.lines().filter(line -> line.contains("%*") && line.contains("dev.gan.Main"))).hasSize(1);
    }

    @Test
    void theAssemblyShipsBothWithTheirPlatformsLineEndings() throws IOException {
        String assembly = Files.readString(Path.of("src", "assembly", "launcher.xml"));

        assertThat(assembly).contains("<lineEnding>unix</lineEnding>", "<exclude>*.cmd</exclude>",
                "<lineEnding>dos</lineEnding>", "<include>*.cmd</include>");
    }
}
