package dev.gan.cli;

import dev.gan.system.RuntimeInfo;
import dev.gan.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan info}: what a user pastes into a bug report. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show versions, the ND4J backend, BLAS, threads, devices and memory limits.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        backend.startComputing(spec.commandLine());
        Map<String, Object> info = RuntimeInfo.describe();
        info.put("gan files", dev.gan.system.UserFiles.root().toString());
        var out = spec.commandLine().getOut();
        if (json.enabled) {
            out.println(Json.compact(info));
        } else {
            int width = info.keySet().stream().mapToInt(String::length).max().orElse(0);
            info.forEach((key, value) -> out.printf("%-" + width + "s  %s%n", key, value));
        }
        return ExitCodes.OK;
    }
}
