package dev.gan.nn;

import dev.gan.util.NativeCopy;
import dev.gan.util.Parallel;
import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A block of native float memory that sgemm reads and writes, allocated once. The INDArray owns the memory
 * (and keeps it alive as long as this object); the pointer is how OpenBLAS and the bulk copies reach it. A block
 * made for one computation rather than for a model's life is closed after it, not left to the collector.
 */
public final class NativeFloats implements AutoCloseable {

    /** Copies of at least this many floats are split over gan's threads: a split costs a few microseconds. */
    static final int MIN_SPLIT_COPY = 1 << 18;

    private final INDArray owner;
    private final FloatPointer pointer;

    public NativeFloats(long length) {
        owner = Nd4j.create(DataType.FLOAT, Math.max(1, length));
        pointer = Sgemm.pointer(owner);
    }

    public FloatPointer pointer() {
        return pointer;
    }

    /** Copies {@code length} floats of {@code from} into the start of this block (large copies in parts). */
    public FloatPointer load(float[] from, int length) {
        require(length);
        toNativeInParts(from, address(), length);
        return pointer;
    }

    /** Copies the first {@code length} floats of this block into {@code to} (large copies in parts). */
    public float[] store(float[] to, int length) {
        require(length);
        fromNativeInParts(address(), to, length);
        return to;
    }

    /** The first {@code count} floats of {@code src} to native {@code address}, a large copy in parts. */
    static void toNativeInParts(float[] src, long address, int count) {
        toNativeInParts(src, 0, address, count);
    }

    /** {@code count} floats of {@code src} from {@code offset} on to native {@code address}, in parts if large. */
    static void toNativeInParts(float[] src, int offset, long address, int count) {
        int parts = count < MIN_SPLIT_COPY ? 1 : Parallel.parts();
        Split.inParts(count, parts, (part, from, to) ->
                NativeCopy.toNative(src, offset + from, address + (long) from * Float.BYTES, to - from));
    }

    /** {@code count} floats from native {@code address} into the start of {@code dst}, a large copy in parts. */
    static void fromNativeInParts(long address, float[] dst, int count) {
        fromNativeInParts(address, dst, 0, count);
    }

    /** {@code count} floats from native {@code address} into {@code dst} from {@code offset} on, in parts if large. */
    static void fromNativeInParts(long address, float[] dst, int offset, int count) {
        int parts = count < MIN_SPLIT_COPY ? 1 : Parallel.parts();
        Split.inParts(count, parts, (part, from, to) ->
                NativeCopy.fromNative(address + (long) from * Float.BYTES, dst, offset + from, to - from));
    }

    /** Where the block starts. */
    long address() {
        return pointer.address();
    }

    /** Throws unless {@code count} floats fit. */
    void require(long count) {
        if (count > owner.length()) {
            throw new IndexOutOfBoundsException(count + " floats in a block of " + owner.length());
        }
    }

    public long length() {
        return owner.length();
    }

    /** Frees the memory now; the block must not be used after. */
    @Override
    public void close() {
        owner.close();
    }
}
