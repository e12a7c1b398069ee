package dev.gan.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks {@code @file} arguments before picocli expands them: picocli reads a folder with a stack trace, takes a
 * missing file for an unmatched argument, and expands a file that includes itself to nothing (a run with every
 * default). Each is one line here instead.
 */
final class ArgumentFiles {

    private ArgumentFiles() {
    }

    /** What is wrong with the argument files among {@code args}, or null when nothing is. */
    static String problem(String[] args) {
        for (String arg : args) {
            if (isArgumentFile(arg)) {
                String problem = problem(Path.of(arg.substring(1)), new ArrayDeque<>());
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** picocli's rule: {@code @name} is a file to expand, {@code @@name} the literal {@code @name}. */
    private static boolean isArgumentFile(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '@' && arg.charAt(1) != '@';
    }

    private static String problem(Path file, Deque<Path> including) {
        String name = "@" + file;
        if (Files.isDirectory(file)) {
            return name + ": is a folder, not an argument file";
        }
        if (!Files.isRegularFile(file)) {
            return name + ": argument file not found";
        }
        Path real;
        String text;
        try {
            real = file.toRealPath();
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return name + ": cannot read the argument file (" + e.getMessage() + ")";
        }
        if (including.contains(real)) {
            return name + ": includes itself" + (including.size() > 1 ? " through " + including.size()
                    + " argument files" : "") + "; an argument file cannot name itself";
        }
        including.push(real);
        for (String line : text.split("\n")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (String token : line.strip().split("\\s+")) {
                String unquoted = token.replaceAll("^[\"']|[\"']$", "");
                if (isArgumentFile(unquoted)) {
                    // picocli resolves a nested @file as it does one on the command line: from the working folder
                    String problem = problem(Path.of(unquoted.substring(1)), including);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
        }
        including.pop();
        return null;
    }
}
