package dev.gan.sample;

import dev.gan.data.IdxWriter;
import dev.gan.image.GifWriter;
import dev.gan.image.ImageGrid;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes sampled images as a PNG grid, MNIST-layout IDX files, one PNG per image, or an animated GIF. */
public final class SampleWriter {

    private SampleWriter() {
    }

    /**
     * The files an IDX output named {@code base} consists of: images, then labels (if any), then its record
     * ({@code base.json}: what made them, which IDX files have no place for).
     */
    public static List<Path> idxFiles(Path base, boolean withLabels) {
        List<Path> files = new ArrayList<>();
        files.add(base.resolveSibling(base.getFileName() + "-images-idx3-ubyte"));
        if (withLabels) {
            files.add(base.resolveSibling(base.getFileName() + "-labels-idx1-ubyte"));
        }
        files.add(base.resolveSibling(base.getFileName() + ".json"));
        return files;
    }

    /** Images handed to a writer a batch at a time (see {@link Sampler#generate(int, int[], long, double, Sampler.Batches)}). */
    @FunctionalInterface
    public interface Source {
        void drawInto(Sampler.Batches<IOException> sink) throws IOException;

        /** Images already in memory, as one batch. */
        static Source of(float[] pixels, int count) {
            return sink -> sink.accept(0, pixels, count);
        }
    }

    /**
     * A grid PNG filled batch by batch, keeping {@code text} (keyword to value): what made it;
     * {@link ImageGrid#MAX_PIXELS} bounds its size.
     */
    public static void png(Source images, int rows, int cols, int gridCols, int gridRows, int scale, Path target,
                           Map<String, String> text) throws IOException {
        BufferedImage grid = ImageGrid.empty(rows, cols, gridCols, gridRows, scale);
        images.drawInto((first, pixels, n) -> ImageGrid.draw(grid, pixels, first, n, rows, cols, gridCols, scale));
        ImageGrid.writePng(grid, target, text);
    }

    /**
     * {@code PATH-images-idx3-ubyte} as round(255 * x), {@code PATH-labels-idx1-ubyte} when labels exist, and
     * {@code PATH.json} holding {@code text} (keyword to value, as a PNG's text chunks): what made them. Streamed:
     * memory stays flat for any count.
     */
    public static void idx(Source images, int count, int rows, int cols, int[] labels, Path base,
                           Map<String, String> text) throws IOException {
        List<Path> files = idxFiles(base, labels != null);
        int size = rows * cols;
        AtomicFiles.write(files.get(0), raw -> {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            IdxWriter.writeImagesHeader(out, count, rows, cols);
            int[] written = {0};
            images.drawInto((first, pixels, n) -> {
                byte[] bytes = new byte[n * size];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) ImageGrid.toByte(pixels[i]);
                }
                out.write(bytes);
                written[0] += n;
            });
            out.flush();
            if (written[0] != count) {
                throw new IOException("expected " + count + " images, got " + written[0]);
            }
        });
        if (labels != null) {
            byte[] labelBytes = new byte[count];
            for (int i = 0; i < count; i++) {
                labelBytes[i] = (byte) labels[i];
            }
            AtomicFiles.write(files.get(1), out -> IdxWriter.writeLabels(out, labelBytes));
        }
        AtomicFiles.writeString(files.get(files.size() - 1),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(text) + "\n");
    }

    /**
     * One PNG per image in {@code dir}: 00000.png, or 00000-digit7.png for a conditional model, each keeping
     * {@code text} (keyword to value): what made it.
     */
    public static void pngs(Source images, int count, int rows, int cols, int[] labels, int scale, Path dir,
                            Map<String, String> text) throws IOException {
        Files.createDirectories(dir);
        int size = rows * cols;
        int digits = Math.max(5, Integer.toString(count - 1).length());
        images.drawInto((first, pixels, n) -> {
            for (int j = 0; j < n; j++) {
                int i = first + j;
                float[] one = java.util.Arrays.copyOfRange(pixels, j * size, (j + 1) * size);
                String name = String.format("%0" + digits + "d", i) + (labels == null ? "" : "-digit" + labels[i]) + ".png";
                png(Source.of(one, 1), rows, cols, 1, 1, scale, dir.resolve(name), text);
            }
        });
    }

    /**
     * An animation over interpolation steps: frame s shows step s of every walk, the walks laid out in a grid.
     * {@code pixels} holds walks * steps images, walk after walk; {@code text} (keyword to value), what made it,
     * goes into its comments.
     */
    public static void gif(float[] pixels, int walks, int steps, int rows, int cols, int gridCols, int gridRows,
                           int scale, Path target, Map<String, String> text) throws IOException {
        int size = rows * cols;
        List<BufferedImage> frames = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            float[] frame = new float[walks * size];
            for (int w = 0; w < walks; w++) {
                System.arraycopy(pixels, (w * steps + s) * size, frame, w * size, size);
            }
            frames.add(ImageGrid.render(frame, walks, rows, cols, gridCols, gridRows, scale));
        }
        for (int s = steps - 2; s > 0; s--) {
            frames.add(frames.get(s)); // walk back, so the loop has no jump
        }
        GifWriter.write(frames, 120, target, text);
    }
}
