package dev.gan.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), raw or gzip-compressed, told apart by content.
 *
 * <p>Everything in the header is checked before the payload is read, and the payload buffer only grows with
 * the bytes actually present, so a header that claims billions of items ends in a {@link DataException},
 * never in an OutOfMemoryError.
 */
public final class IdxReader {

    /** Largest payload one Java array can hold; real IDX files are far smaller. */
    static final long MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 16;
    private static final int MAX_DIM = 1 << 16;
    private static final int UBYTE_TYPE = 0x08;

    private IdxReader() {
    }

    /** Reads an images file (magic 0x00000803): count x rows x cols unsigned bytes. */
    public static IdxFile readImages(Path file) throws DataException {
        return read(file, 3, 0);
    }

    /**
     * As {@link #readImages(Path)}, keeping only the first {@code limit} images (all for {@code limit} <= 0): the
     * header is checked as always, and the images after the limit are never read into memory.
     */
    public static IdxFile readImages(Path file, int limit) throws DataException {
        return read(file, 3, limit);
    }

    /** Reads a labels file (magic 0x00000801) and checks that every label is below {@code numClasses}. */
    public static IdxFile readLabels(Path file, int numClasses) throws DataException {
        IdxFile labels = read(file, 1, 0);
        byte[] data = labels.data();
        for (int i = 0; i < data.length; i++) {
            int label = data[i] & 0xFF;
            if (label >= numClasses) {
                throw new DataException(file + ": label " + label + " at item " + i
                        + " is out of range (expected 0.." + (numClasses - 1) + ")");
            }
        }
        return labels;
    }

    static IdxFile read(Path file, int expectedRank, int limit) throws DataException {
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (fileSize == 0) {
            throw new DataException(file + ": file is empty");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory, not an IDX file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            boolean gzip = isGzip(raw);
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return parse(file, new DataInputStream(in), expectedRank, gzip ? -1 : fileSize, limit);
        } catch (ZipException e) {
            throw new DataException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new DataException(file + ": file is truncated (data ends early)", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxFile parse(Path file, DataInputStream in, int expectedRank, long rawFileSize, int limit)
            throws IOException, DataException {
        int magic = readHeaderInt(file, in, "magic number");
        if ((magic >>> 16) != 0) {
            throw new DataException(file + ": not an IDX file (magic number 0x" + hex(magic) + ")");
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if (type != UBYTE_TYPE) {
            throw new DataException(file + ": IDX element type 0x" + Integer.toHexString(type)
                    + " is not supported (only unsigned bytes, 0x08)");
        }
        if (rank != expectedRank) {
            throw new DataException(file + ": expected " + describe(expectedRank) + " (magic 0x"
                    + hex(0x800 | expectedRank) + ") but found " + describe(rank) + " (magic 0x" + hex(magic) + ")");
        }
        int count = readHeaderInt(file, in, "item count");
        if (count <= 0) {
            throw new DataException(file + ": header item count " + Integer.toUnsignedString(count)
                    + " is invalid (must be positive)");
        }
        int[] dims = new int[rank - 1];
        long itemSize = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = readHeaderInt(file, in, "dimension " + (i + 1));
            if (dims[i] <= 0 || dims[i] > MAX_DIM) {
                throw new DataException(file + ": header dimension " + Integer.toUnsignedString(dims[i])
                        + " is invalid (must be 1.." + MAX_DIM + ")");
            }
            itemSize *= dims[i];
        }
        long headerBytes = 4L * (1 + rank);
        long payload = count * itemSize;
        if (payload > MAX_PAYLOAD_BYTES) {
            throw new DataException(file + ": header claims " + count + " items of " + shape(dims) + " ("
                    + payload + " bytes), more than this reader supports");
        }
        if (rawFileSize >= 0 && rawFileSize != headerBytes + payload) {
            throw new DataException(file + ": header claims " + count + " items of " + shape(dims) + " ("
                    + (headerBytes + payload) + " bytes) but the file has " + rawFileSize + " bytes");
        }
        int kept = limit > 0 ? Math.min(limit, count) : count;
        byte[] data = readPayload(file, in, (int) (kept * itemSize), count, itemSize);
        if (kept == count && in.read() != -1) {
            throw new DataException(file + ": has data after the " + count + " items its header declares");
        }
        return new IdxFile(kept, count, dims, data);
    }

    /** Grows the buffer with the bytes actually read, so a lying header cannot force a huge allocation. */
    private static byte[] readPayload(Path file, InputStream in, int payload, int count, long itemSize)
            throws IOException, DataException {
        byte[] buffer = new byte[Math.min(payload, 1 << 20)];
        int filled = 0;
        while (filled < payload) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(payload, (long) buffer.length * 2));
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new DataException(file + ": file is truncated: header claims " + count
                        + " items but data ends after " + (filled / itemSize) + " complete items");
            }
            filled += n;
        }
        return buffer;
    }

    private static int readHeaderInt(Path file, DataInputStream in, String what) throws IOException, DataException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataException(file + ": file is truncated (header ends before the " + what + ")", e);
        }
    }

    private static String describe(int rank) {
        return switch (rank) {
            case 1 -> "a labels file";
            case 3 -> "an images file";
            default -> "a rank-" + rank + " IDX file";
        };
    }

    private static String shape(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return dims.length == 0 ? "1 byte" : sb.toString();
    }

    private static String hex(int value) {
        return String.format("%08x", value);
    }
}
