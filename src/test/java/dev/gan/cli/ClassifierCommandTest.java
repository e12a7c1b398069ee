package dev.gan.cli;

import dev.gan.TestData;
import dev.gan.data.DataException;
import dev.gan.data.DataFiles;
import dev.gan.data.IdxFile;
import dev.gan.data.Split;
import dev.gan.eval.ClassifierFile;
import dev.gan.model.InvalidModelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static dev.gan.data.IdxFixtures.concat;
import static dev.gan.data.IdxFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The default classifier that gan eval, gan sample and gan train --eval-every judge with: what it learns from,
 * where it is kept, and that one which cannot tell digits apart is never saved or used.
 */
class ClassifierCommandTest {

    @TempDir
    Path home;

    private String realHome;
    private final StringWriter progress = new StringWriter();

    @BeforeEach
    void useATemporaryHome() {
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", realHome);
    }

    /** The first {@code train} training and {@code test} test digits of the real MNIST files. */
    private Path realSubset(int train, int test) throws Exception {
        Path dir = Files.createDirectories(home.resolve("mnist-subset"));
        copyHead(Split.TRAIN, train, dir);
        copyHead(Split.TEST, test, dir);
        return dir;
    }

    private static void copyHead(Split split, int count, Path into) throws Exception {
        TestData.ownCopy(into, split, count);
    }

    private ClassifierFile.Loaded loadOrTrain(Path dataDir) throws Exception {
        return ClassifierCommand.loadOrTrain(null, "mnist", split -> DataFiles.locate(dataDir, split), 42,
                new PrintWriter(progress, true));
    }

    @Test
    void theDefaultLearnsFromTheTrainSplitIsMeasuredOnTheTestSplitAndIsNamedForIt() throws Exception {
        Path data = realSubset(3000, 1000);

        ClassifierFile.Loaded loaded = loadOrTrain(data);

        Path expected = home.resolve(".gan/classifier/mnist-train.zip");
        assertThat(loaded.file()).isEqualTo(expected);
        assertThat(expected).isRegularFile();
        assertThat(loaded.info().images()).contains("train-images");
        assertThat(loaded.info().trainedOn()).isEqualTo(3000);
        assertThat(loaded.info().heldOut()).isEqualTo(1000);
        assertThat(loaded.info().heldOutImages()).contains("t10k-images");
        assertThat(loaded.info().heldOutAccuracy()).isGreaterThan(0.9);
        assertThat(progress.toString()).contains("training one on the train split", "held-out accuracy");

        ClassifierFile.Loaded again = loadOrTrain(data);
        assertThat(again.info()).isEqualTo(loaded.info());
        assertThat(home.resolve(".gan/classifier/mnist-test.zip")).doesNotExist();
    }

    @Test
    void aFolderWithOnlyTheTestSplitGetsADefaultOfItsOwnName() throws Exception {
        Path data = Files.createDirectories(home.resolve("test-only"));
        copyHead(Split.TEST, 2600, data);

        ClassifierFile.Loaded loaded = loadOrTrain(data);

        assertThat(loaded.file()).isEqualTo(home.resolve(".gan/classifier/mnist-test.zip"));
        assertThat(loaded.info().heldOutImages()).startsWith("the last 2000 images of");
        assertThat(home.resolve(".gan/classifier/mnist-train.zip")).doesNotExist();
    }

    @Test
    void aClassifierThatCannotTellTheImagesApartIsNeitherSavedNorUsed() throws Exception {
        Path data = Files.createDirectories(home.resolve("noise"));
        Random random = new Random(3);
        for (String prefix : new String[] {"train", "t10k"}) {
            int n = prefix.equals("train") ? 640 : 200;
            byte[] pixels = new byte[n * 784];
            random.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) random.nextInt(10);
            }
            Files.write(data.resolve(prefix + "-images-idx3-ubyte"), concat(header(IdxFile.MAGIC_IMAGES, n, 28, 28), pixels));
            Files.write(data.resolve(prefix + "-labels-idx1-ubyte"), concat(header(IdxFile.MAGIC_LABELS, n), labels));
        }

        assertThatThrownBy(() -> loadOrTrain(data)).isInstanceOf(DataException.class)
                .hasMessageContaining("held-out accuracy").hasMessageContaining("not saved");
        assertThat(home.resolve(".gan/classifier/mnist-train.zip")).doesNotExist();
    }

    @Test
    void aSavedDefaultBelowASaneAccuracyIsRefused() throws Exception {
        Path data = realSubset(3000, 1000);
        ClassifierFile.Loaded good = loadOrTrain(data);
        ClassifierFile.Info poor = new ClassifierFile.Info("mnist", "x", "a", "b", 10, 2, 1, 0.0955, 4, null);
        ClassifierFile.save(good.classifier(), poor, good.file());

        assertThatThrownBy(() -> loadOrTrain(data)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("0.0955").hasMessageContaining("mnist-train.zip");
    }

    @Test
    void fashionMnistsHarderImagesHaveALowerBarThanDigits() throws Exception {
        Path data = realSubset(3000, 1000);
        ClassifierFile.Loaded good = loadOrTrain(data);
        Path fashionDefault = ClassifierFile.defaultPath("fashion", Split.TRAIN);
        ClassifierFile.save(good.classifier(), new ClassifierFile.Info("fashion", "x", "a", "b", 10, 2, 1, 0.8932, 4,
                null), fashionDefault);
        ClassifierFile.save(good.classifier(), new ClassifierFile.Info("mnist", "x", "a", "b", 10, 2, 1, 0.8932, 4,
                null), good.file());

        ClassifierFile.Loaded fashion = ClassifierCommand.loadOrTrain(null, "fashion",
                split -> DataFiles.locate(data, split), 42, new PrintWriter(progress, true));

        assertThat(fashion.info().heldOutAccuracy()).isEqualTo(0.8932);
        assertThatThrownBy(() -> loadOrTrain(data)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("0.8932 is below 0.9");
    }
}
