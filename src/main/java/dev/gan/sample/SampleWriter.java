package dev.gan.sample;

import dev.gan.data.IdxWriter;
import dev.gan.image.GifWriter;
import dev.gan.image.ImageGrid;
import dev.gan.util.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes sampled images as a PNG grid, MNIST-layout IDX files, one PNG per image, or an animated GIF. */
public final class SampleWriter {

    private SampleWriter() {
    }

    /** The files an IDX output named {@code base} consists of: images, then labels (if any). */
    public static List<Path> idxFiles(Path base, boolean withLabels) {
        List<Path> files = new ArrayList<>();
        files.add(base.resolveSibling(base.getFileName() + "-images-idx3-ubyte"));
        if (withLabels) {
            files.add(base.resolveSibling(base.getFileName() + "-labels-idx1-ubyte"));
        }
        return files;
    }

    public static void png(float[] pixels, int count, int rows, int cols, int gridCols, int gridRows, int scale,
                           Path target) throws IOException {
        ImageGrid.writePng(ImageGrid.render(pixels, count, rows, cols, gridCols, gridRows, scale), target);
    }

    /** {@code PATH-images-idx3-ubyte} as round(255 * x), and {@code PATH-labels-idx1-ubyte} when labels exist. */
    public static void idx(float[] pixels, int count, int rows, int cols, int[] labels, Path base) throws IOException {
        List<Path> files = idxFiles(base, labels != null);
        byte[] bytes = new byte[count * rows * cols];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ImageGrid.toByte(pixels[i]);
        }
        AtomicFiles.write(files.get(0), out -> IdxWriter.writeImages(out, count, rows, cols, bytes));
        if (labels != null) {
            byte[] labelBytes = new byte[count];
            for (int i = 0; i < count; i++) {
                labelBytes[i] = (byte) labels[i];
            }
            AtomicFiles.write(files.get(1), out -> IdxWriter.writeLabels(out, labelBytes));
        }
    }

    /** One PNG per image in {@code dir}: 00000.png, or 00000-digit7.png for a conditional model. */
    public static void pngs(float[] pixels, int count, int rows, int cols, int[] labels, int scale, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        int size = rows * cols;
        int digits = Math.max(5, Integer.toString(count - 1).length());
        for (int i = 0; i < count; i++) {
            float[] one = java.util.Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
            String name = String.format("%0" + digits + "d", i) + (labels == null ? "" : "-digit" + labels[i]) + ".png";
            png(one, 1, rows, cols, 1, 1, scale, dir.resolve(name));
        }
    }

    /**
     * An animation over interpolation steps: frame s shows step s of every walk, the walks laid out in a grid.
     * {@code pixels} holds walks * steps images, walk after walk.
     */
    public static void gif(float[] pixels, int walks, int steps, int rows, int cols, int gridCols, int gridRows,
                           int scale, Path target) throws IOException {
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
        GifWriter.write(frames, 120, target);
    }
}
