package dev.gan.train;

import dev.gan.config.GanConfig;
import dev.gan.model.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers for tests that train two engines side by side on the same batch. */
public final class SideBySide {

    private SideBySide() {
    }

    /** A fresh trainer for {@code config} on rows x cols images, its batch filled the same way every time. */
    public static GanTrainer trainer(GanConfig config, int rows, int cols) {
        GanConfig.Model model = config.model();
        ModelSpec spec = new ModelSpec(model.conditional(), model.noiseDim(), model.noise(), model.hidden(), rows,
                cols, 10, model.weightInit(), model.arch());
        GanTrainer trainer = GanTrainer.create(config, spec);
        fill(trainer, config.schedule().batchSize(), spec.imageSize(), config.model().conditional());
        return trainer;
    }

    /** Random images (seed 9), labels 7i mod 10, noise and label seeds 3 and 4. */
    public static void fill(GanTrainer trainer, int batch, int imageSize, boolean conditional) {
        Nd4j.getRandom().setSeed(9);
        trainer.realImages().assign(Nd4j.rand(DataType.FLOAT, batch, imageSize));
        if (conditional) {
            trainer.realLabels().assign(0);
            for (int i = 0; i < batch; i++) {
                trainer.realLabels().putScalar(i, (7 * i) % 10, 1.0);
            }
        }
        trainer.reseed(3, 4);
    }

    /** max |a - b| over max |a| (at least 1e-3). */
    public static double maxRelativeDifference(INDArray a, INDArray b) {
        double scale = Math.max(a.amaxNumber().doubleValue(), 1e-3);
        return a.sub(b).amaxNumber().doubleValue() / scale;
    }
}
