package dev.gan.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ShellTest {

    @Test
    void aPlainWordStaysAsItIs() {
        assertThat(Shell.quote("runs/cgan/seed=1")).isEqualTo("runs/cgan/seed=1");
        assertThat(Shell.quote(Path.of("/tmp/x.yaml"))).isEqualTo("/tmp/x.yaml");
        assertThat(Shell.quote("3,5")).isEqualTo("3,5");
    }

    @Test
    void bashReadsAnyQuotedWordBackAsOneWordUnchanged() throws Exception {
        for (String word : new String[] {"my runs/rün 1", "it's", "$HOME", "a\"b", "*", "", "x;rm -rf y", "tab\there", "{a,b}", "3,5"}) {
            Process bash = new ProcessBuilder("bash", "-c", "printf '%s|' " + Shell.quote(word)).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(bash.waitFor()).isZero();
            assertThat(out).as(word).isEqualTo(word + "|");
        }
    }
}
