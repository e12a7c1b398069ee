package dev.gan.system;

import java.nio.file.Path;

/**
 * Where gan keeps what outlives a command: {@code ~/.gan} (the default classifiers, eval's cache, downloaded data).
 * The home directory is Java's {@code user.home}, which the launcher sets from {@code $HOME}: Java 17 reads the
 * password file instead, and gives "?" to a user it has no entry for (a container run with {@code --user}).
 */
public final class UserFiles {

    private UserFiles() {
    }

    /** {@code ~/.gan}. */
    public static Path root() {
        return Path.of(System.getProperty("user.home"), ".gan");
    }
}
