package dev.gan.util;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/** An I/O error reads as the file and what went wrong with it, also where the JDK gives only the path. */
class MessagesTest {

    @Test
    void aDeniedAccessSaysSo() {
        AccessDeniedException denied = new AccessDeniedException("/runs/.x.png.123.tmp");

        assertThat(Messages.reason(denied)).isEqualTo("permission denied");
        assertThat(Messages.describe(denied)).isEqualTo("/runs/.x.png.123.tmp: permission denied");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThat(Messages.describe(new NoSuchFileException("/data/train.gz")))
                .isEqualTo("/data/train.gz: no such file or folder");
    }

    @Test
    void theSystemsOwnReasonIsKept() {
        FileSystemException full = new FileSystemException("/runs/a.zip", null, "No space left on device");

        assertThat(Messages.reason(full)).isEqualTo("No space left on device");
        assertThat(Messages.describe(full)).isEqualTo("/runs/a.zip: No space left on device");
    }

    @Test
    void anErrorWithoutAFileIsItsMessage() {
        assertThat(Messages.describe(new IOException("disk gone"))).isEqualTo("disk gone");
        assertThat(Messages.describe(new IOException())).isEqualTo("IOException");
    }

    @Test
    void onlyTheFirstLineOfAMessageIsShown() {
        assertThat(Messages.firstLine(new IllegalStateException("one\ntwo"))).isEqualTo("one");
    }

    @Test
    void aCountOfOneTakesTheSingular() {
        assertThat(Messages.count(1, "image")).isEqualTo("1 image");
        assertThat(Messages.count(0, "image")).isEqualTo("0 images");
        assertThat(Messages.count(10_000, "real test image")).isEqualTo("10000 real test images");
    }

    @Test
    void aListReadsAsASentence() {
        assertThat(Messages.list(java.util.List.of("a.png"))).isEqualTo("a.png");
        assertThat(Messages.list(java.util.List.of("a", "b"))).isEqualTo("a and b");
        assertThat(Messages.list(java.util.List.of("a", "b", "c"))).isEqualTo("a, b and c");
    }
}
