package dev.gan.data;

import dev.gan.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataFilesTest {

    @TempDir
    Path tmp;

    @Test
    void filesOfAnotherKnownDataSetAreRefusedNamingTheFileAndWhatToDo() throws Exception {
        DataFiles mnist = DataFiles.locate(TestData.mnistDir(), Split.TRAIN);

        assertThatThrownBy(() -> mnist.requirePublishedBy(DatasetName.FASHION))
                .isInstanceOf(DataException.class)
                .hasMessage(mnist.labels() + ": MNIST's labels, not Fashion-MNIST's: use --dataset mnist, or name a "
                        + "folder of Fashion-MNIST with --data");
    }

    @Test
    void theNamedDataSetsOwnFilesAndAUsersOwnFilesAreTakenAsTheyAre() throws Exception {
        DataFiles mnist = DataFiles.locate(TestData.mnistDir(), Split.TEST);
        DataFiles own = DataFiles.locate(TestData.ownCopy(tmp.resolve("own"), Split.TEST, 20), Split.TEST);

        assertThat(mnist.requirePublishedBy(DatasetName.MNIST)).isEqualTo(mnist);
        assertThat(own.requirePublishedBy(DatasetName.FASHION)).isEqualTo(own);
        assertThat(own.requirePublishedBy(DatasetName.MNIST)).isEqualTo(own);
    }
}
