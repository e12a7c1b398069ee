package dev.gan.data;

/**
 * The decoded contents of one IDX file of unsigned bytes: {@code dims} are the sizes after the item count
 * (empty for labels, {rows, cols} for images), {@code data} holds count * product(dims) bytes: the first
 * {@code count} of the {@code declared} items the header declares (fewer only when the read was limited).
 */
public record IdxFile(int count, int declared, int[] dims, byte[] data) {

    public static final int MAGIC_LABELS = 0x00000801;
    public static final int MAGIC_IMAGES = 0x00000803;

    public int itemSize() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }
}
