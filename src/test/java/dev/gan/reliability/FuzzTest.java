package dev.gan.reliability;

import dev.gan.TestData;
import dev.gan.data.DataException;
import dev.gan.data.IdxFixtures;
import dev.gan.data.IdxReader;
import dev.gan.model.GanModels;
import dev.gan.model.GeneratorFile;
import dev.gan.model.InvalidModelException;
import dev.gan.model.ModelSpec;
import dev.gan.model.NoiseKind;
import dev.gan.model.WeightInitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Seeded mutation loops: thousands of damaged inputs, each of which must end in the project's own error
 * type (or read as a valid file), never in another exception, an OutOfMemoryError or a hang.
 */
class FuzzTest {

    private static final int IDX_CASES = 3000;
    private static final int MODEL_CASES = 150;

    @TempDir
    Path tmp;

    @Test
    void mutatedAndTruncatedIdxFilesEndInDataException() throws Exception {
        byte[] rawImages = IdxFixtures.images(20, 28, 28);
        byte[] rawLabels = IdxFixtures.labels(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        byte[][] seeds = {rawImages, IdxFixtures.gzip(rawImages), rawLabels, IdxFixtures.gzip(rawLabels),
                Files.readAllBytes(TestData.mnistDir().resolve("t10k-labels-idx1-ubyte.gz"))};
        Random random = new Random(6);
        int rejected = 0;
        Path file = tmp.resolve("fuzz");
        for (int i = 0; i < IDX_CASES; i++) {
            byte[] mutated = mutate(seeds[random.nextInt(seeds.length)], random);
            Files.write(file, mutated);
            boolean images = random.nextBoolean();
            Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    if (images) {
                        IdxReader.readImages(file);
                    } else {
                        IdxReader.readLabels(file, 10);
                    }
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, "case " + i);
            if (thrown != null) {
                if (!(thrown instanceof DataException)) {
                    fail("case " + i + " threw " + thrown, thrown);
                }
                assertThat(thrown.getMessage()).startsWith(file.toString()).doesNotContain("\n");
                rejected++;
            }
        }
        assertThat(rejected).as("mutations rejected").isGreaterThan(IDX_CASES / 2);
    }

    /** Flip bytes (header ones often), write huge sizes, truncate, or append. */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    int at = random.nextInt(Math.min(out.length, random.nextBoolean() ? 16 : out.length));
                    out[at] = (byte) random.nextInt(256);
                }
            }
            case 1 -> {
                int field = 4 * (1 + random.nextInt(3));
                if (field + 4 <= out.length) {
                    int[] huge = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30, 65536, 0};
                    ByteBuffer.wrap(out).putInt(field, huge[random.nextInt(huge.length)]);
                }
            }
            case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 3 -> out = Arrays.copyOf(out, out.length + 1 + random.nextInt(100));
            default -> {
                out = Arrays.copyOf(out, Math.max(1, out.length / (2 + random.nextInt(8))));
                out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return out;
    }

    /**
     * A damaged generator file is either rejected or, where the damage hit nothing that matters (a zip time
     * stamp), loads as exactly the original: never as a different network. Truncations are always rejected.
     */
    @Test
    void corruptOrForeignGeneratorFilesAreRejectedOrLoadUnchanged() throws Exception {
        ModelSpec spec = new ModelSpec(true, 8, NoiseKind.UNIFORM, 16, 28, 28, 10, WeightInitKind.XAVIER);
        Path good = tmp.resolve("generator.zip");
        GeneratorFile.save(GanModels.generator(spec, 1e-3, 0.9, 0.999, 1), spec, good, false);
        byte[] bytes = Files.readAllBytes(good);
        GeneratorFile.Loaded original = GeneratorFile.load(good, false);
        Random random = new Random(7);
        Path file = tmp.resolve("mutant.zip");
        int rejected = 0;
        for (int i = 0; i < MODEL_CASES; i++) {
            byte[] mutated = bytes.clone();
            boolean truncated = random.nextBoolean();
            if (truncated) {
                mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            } else {
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
            }
            Files.write(file, mutated);
            Object outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    return GeneratorFile.load(file, false);
                } catch (Throwable t) {
                    return t;
                }
            }, "case " + i);
            if (outcome instanceof InvalidModelException) {
                rejected++;
            } else if (outcome instanceof Throwable t) {
                fail("case " + i + " threw " + t, t);
            } else {
                GeneratorFile.Loaded loaded = (GeneratorFile.Loaded) outcome;
                assertThat(truncated).as("case " + i + ": a truncated file loaded").isFalse();
                assertThat(loaded.spec()).as("case " + i).isEqualTo(original.spec());
                assertThat(loaded.generator().params()).as("case " + i).isEqualTo(original.generator().params());
                assertThat(loaded.generator().getConfiguration().toJson()).as("case " + i)
                        .isEqualTo(original.generator().getConfiguration().toJson());
            }
        }
        assertThat(rejected).as("mutations rejected").isGreaterThan(MODEL_CASES / 2);
        Files.write(file, IdxFixtures.gzip(new byte[100]));
        assertThatCode(() -> GeneratorFile.load(file, false)).isInstanceOf(InvalidModelException.class);
    }

    @Test
    void aHandEditedModelDescriptionIsACorruptModel() throws Exception {
        ModelSpec spec = new ModelSpec(true, 8, NoiseKind.UNIFORM, 16, 28, 28, 10, WeightInitKind.XAVIER);
        for (ModelSpec edited : new ModelSpec[] {
                new ModelSpec(true, 9, NoiseKind.UNIFORM, 16, 28, 28, 10, WeightInitKind.XAVIER),
                new ModelSpec(true, 8, NoiseKind.UNIFORM, 16, 28, 28, 11, WeightInitKind.XAVIER),
                new ModelSpec(true, 8, NoiseKind.UNIFORM, 16, 27, 28, 10, WeightInitKind.XAVIER),
                new ModelSpec(true, 8, NoiseKind.UNIFORM, 16, -28, -28, 10, WeightInitKind.XAVIER)}) {
            Path saved = tmp.resolve("saved.zip");
            GeneratorFile.save(GanModels.generator(spec, 1e-3, 0.9, 0.999, 1), spec, saved, false);
            Path file = tmp.resolve("edited.zip");
            copyWithout(saved, "objects/gan-model.json", file);
            org.deeplearning4j.util.ModelSerializer.addObjectToFile(file.toFile(), "gan-model.json",
                    dev.gan.util.Json.MAPPER.writeValueAsString(edited));

            assertThatCode(() -> GeneratorFile.load(file, false)).as(edited.toString())
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("corrupt model");
        }
    }

    private static void copyWithout(Path zip, String entryName, Path target) throws java.io.IOException {
        try (var in = new java.util.zip.ZipFile(zip.toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(target))) {
            for (var entry : java.util.Collections.list(in.entries())) {
                if (!entry.getName().equals(entryName)) {
                    out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                    in.getInputStream(entry).transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }
}
