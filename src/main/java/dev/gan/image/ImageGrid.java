package dev.gan.image;

import dev.gan.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Lays out grayscale images in [0, 1] as a grid, white digits on black as in MNIST, each pixel enlarged to
 * {@code scale} x {@code scale}, with a one-pixel gray gap between cells, and writes it as PNG.
 */
public final class ImageGrid {

    /** The PNG writer's own metadata format, whose text chunks {@link #writePng(BufferedImage, Path, Map)} fills. */
    private static final String PNG_METADATA = "javax_imageio_png_1.0";

    private static final int GAP_GRAY = 64;

    private ImageGrid() {
    }

    /** The most pixels a grid may have (a gray byte each): 100 megapixels, a 10,000 x 10,000 image. */
    public static final long MAX_PIXELS = 100_000_000L;

    /** Pixels of a grid of this shape, as a long: what {@link #MAX_PIXELS} bounds. */
    public static long pixels(int rows, int cols, int gridCols, int gridRows, int scale) {
        long width = (long) gridCols * cols * scale + (gridCols - 1);
        long height = (long) gridRows * rows * scale + (gridRows - 1);
        return width * height;
    }

    /**
     * @param pixels images one after another, each rows*cols values in [0, 1] (clamped)
     * @param count  number of images; cells past it stay black
     */
    public static BufferedImage render(float[] pixels, int count, int rows, int cols, int gridCols, int gridRows,
                                       int scale) {
        if (count > gridCols * gridRows) {
            throw new IllegalArgumentException(count + " images do not fit a " + gridCols + "x" + gridRows + " grid");
        }
        BufferedImage image = empty(rows, cols, gridCols, gridRows, scale);
        draw(image, pixels, 0, count, rows, cols, gridCols, scale);
        return image;
    }

    /** A black grid with its gray gaps, for {@link #draw} to fill; larger than {@link #MAX_PIXELS} is refused. */
    public static BufferedImage empty(int rows, int cols, int gridCols, int gridRows, int scale) {
        long total = pixels(rows, cols, gridCols, gridRows, scale);
        if (total > MAX_PIXELS) {
            throw new IllegalArgumentException("a " + gridCols + "x" + gridRows + " grid at scale " + scale + " has "
                    + total + " pixels, more than " + MAX_PIXELS);
        }
        int cellW = cols * scale;
        int cellH = rows * scale;
        int width = gridCols * cellW + (gridCols - 1);
        int height = gridRows * cellH + (gridRows - 1);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] gap = {GAP_GRAY};
        for (int x = cellW; x < width; x += cellW + 1) {
            for (int y = 0; y < height; y++) {
                raster.setPixel(x, y, gap);
            }
        }
        for (int y = cellH; y < height; y += cellH + 1) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, gap);
            }
        }
        return image;
    }

    /** Draws {@code count} images from {@code pixels} into the cells from {@code firstCell} on, row by row. */
    public static void draw(BufferedImage image, float[] pixels, int firstCell, int count, int rows, int cols,
                            int gridCols, int scale) {
        WritableRaster raster = image.getRaster();
        int cellW = cols * scale;
        int cellH = rows * scale;
        int[] value = new int[1];
        int imageSize = rows * cols;
        for (int n = 0; n < count; n++) {
            int cell = firstCell + n;
            int x0 = (cell % gridCols) * (cellW + 1);
            int y0 = (cell / gridCols) * (cellH + 1);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    value[0] = toByte(pixels[n * imageSize + r * cols + c]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setPixel(x0 + c * scale + dx, y0 + r * scale + dy, value);
                        }
                    }
                }
            }
        }
    }

    /** A value in [0, 1] as an unsigned byte, round(255 * x), clamped. */
    public static int toByte(float value) {
        return Math.max(0, Math.min(255, Math.round(value * 255f)));
    }

    public static void writePng(BufferedImage image, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /**
     * As {@link #writePng(BufferedImage, Path)}, with {@code text} in the file: one international text chunk (iTXt,
     * UTF-8, uncompressed) per entry, keyword to value, which image viewers and {@code exiftool} show.
     */
    public static void writePng(BufferedImage image, Path target, Map<String, String> text) throws IOException {
        if (text.isEmpty()) {
            writePng(image, target);
            return;
        }
        AtomicFiles.write(target, out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(stream);
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(
                        ImageTypeSpecifier.createFromRenderedImage(image), param);
                IIOMetadataNode chunks = new IIOMetadataNode("iTXt");
                for (Map.Entry<String, String> entry : text.entrySet()) {
                    IIOMetadataNode chunk = new IIOMetadataNode("iTXtEntry");
                    chunk.setAttribute("keyword", entry.getKey());
                    chunk.setAttribute("compressionFlag", "FALSE");
                    chunk.setAttribute("compressionMethod", "0");
                    chunk.setAttribute("languageTag", "");
                    chunk.setAttribute("translatedKeyword", "");
                    chunk.setAttribute("text", entry.getValue());
                    chunks.appendChild(chunk);
                }
                IIOMetadataNode root = new IIOMetadataNode(PNG_METADATA);
                root.appendChild(chunks);
                metadata.mergeTree(PNG_METADATA, root);
                writer.write(null, new IIOImage(image, null, metadata), param);
            } finally {
                writer.dispose();
            }
        });
    }
}
