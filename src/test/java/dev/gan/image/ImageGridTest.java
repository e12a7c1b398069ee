package dev.gan.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images laid out in a grid: cells, enlarged pixels, gray gaps, clamping, and the size bound. */
class ImageGridTest {

    @TempDir
    Path tmp;

    @Test
    void eachImageFillsItsCellPixelByPixelEnlargedWithGrayGapsBetweenCells() {
        // Two 1x2 images: [0, 1] and [0.5, 0.25], at scale 2 in a 2x1 grid.
        float[] pixels = {0f, 1f, 0.5f, 0.25f};

        BufferedImage grid = ImageGrid.render(pixels, 2, 1, 2, 2, 1, 2);

        assertThat(grid.getWidth()).isEqualTo(2 * 2 * 2 + 1);
        assertThat(grid.getHeight()).isEqualTo(1 * 2);
        var raster = grid.getRaster();
        assertThat(raster.getSample(0, 0, 0)).isZero();
        assertThat(raster.getSample(2, 1, 0)).isEqualTo(255);        // image 0, pixel 1, enlarged
        assertThat(raster.getSample(4, 0, 0)).isEqualTo(64);         // the gap column
        assertThat(raster.getSample(5, 0, 0)).isEqualTo(128);        // image 1, pixel 0: round(255 * 0.5)
        assertThat(raster.getSample(8, 1, 0)).isEqualTo(64);         // round(255 * 0.25)
    }

    @Test
    void valuesOutsideZeroToOneAreClampedAndCellsPastTheCountStayBlack() {
        BufferedImage grid = ImageGrid.render(new float[] {-3f, 7f}, 2, 1, 1, 3, 1, 1);

        assertThat(grid.getRaster().getSample(0, 0, 0)).isZero();
        assertThat(grid.getRaster().getSample(2, 0, 0)).isEqualTo(255);
        assertThat(grid.getRaster().getSample(4, 0, 0)).isZero();
        assertThat(ImageGrid.toByte(Float.NaN)).isBetween(0, 255);
    }

    @Test
    void drawingInBatchesGivesTheSameGridAsDrawingAtOnce() {
        float[] pixels = new float[6 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 11) / 10f;
        }
        BufferedImage whole = ImageGrid.render(pixels, 6, 2, 2, 3, 2, 2);
        BufferedImage batched = ImageGrid.empty(2, 2, 3, 2, 2);
        ImageGrid.draw(batched, java.util.Arrays.copyOfRange(pixels, 0, 8), 0, 2, 2, 2, 3, 2);
        ImageGrid.draw(batched, java.util.Arrays.copyOfRange(pixels, 8, 24), 2, 4, 2, 2, 3, 2);

        assertThat(batched.getRaster().getPixels(0, 0, whole.getWidth(), whole.getHeight(), (int[]) null))
                .isEqualTo(whole.getRaster().getPixels(0, 0, whole.getWidth(), whole.getHeight(), (int[]) null));
    }

    @Test
    void tooManyImagesOrTooManyPixelsAreRefused() {
        assertThatThrownBy(() -> ImageGrid.render(new float[5], 5, 1, 1, 2, 2, 1)).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> ImageGrid.empty(28, 28, 100, 100, 32)).hasMessageContaining("pixels");
        assertThat(ImageGrid.pixels(28, 28, 100, 100, 32)).isGreaterThan(ImageGrid.MAX_PIXELS);
    }

    @Test
    void aWrittenPngReadsBackAsTheSameImage() throws Exception {
        BufferedImage grid = ImageGrid.render(new float[] {0.2f, 0.8f, 1f, 0f}, 4, 1, 1, 2, 2, 3);
        Path file = tmp.resolve("g.png");

        ImageGrid.writePng(grid, file);

        BufferedImage read = ImageIO.read(file.toFile());
        assertThat(read.getWidth()).isEqualTo(grid.getWidth());
        assertThat(read.getRaster().getPixels(0, 0, 7, 7, (int[]) null))
                .isEqualTo(grid.getRaster().getPixels(0, 0, 7, 7, (int[]) null));
    }
}
