package dev.gan.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes unsigned-byte IDX data (uncompressed): the inverse of {@link IdxReader}. */
public final class IdxWriter {

    private IdxWriter() {
    }

    public static void writeImages(OutputStream out, int count, int rows, int cols, byte[] pixels) throws IOException {
        write(out, IdxFile.MAGIC_IMAGES, new int[] {count, rows, cols}, pixels);
    }

    /** The header of an images file whose {@code count * rows * cols} pixel bytes the caller writes next. */
    public static void writeImagesHeader(OutputStream out, int count, int rows, int cols) throws IOException {
        DataOutputStream dataOut = new DataOutputStream(out);
        dataOut.writeInt(IdxFile.MAGIC_IMAGES);
        for (int size : new int[] {count, rows, cols}) {
            dataOut.writeInt(size);
        }
        dataOut.flush();
    }

    public static void writeLabels(OutputStream out, byte[] labels) throws IOException {
        write(out, IdxFile.MAGIC_LABELS, new int[] {labels.length}, labels);
    }

    private static void write(OutputStream out, int magic, int[] sizes, byte[] data) throws IOException {
        DataOutputStream dataOut = new DataOutputStream(out);
        dataOut.writeInt(magic);
        for (int size : sizes) {
            dataOut.writeInt(size);
        }
        dataOut.write(data);
        dataOut.flush();
    }
}
