package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A block of native float memory that sgemm reads and writes, allocated once. The INDArray owns the memory
 * (and keeps it alive as long as this object); the pointer is how OpenBLAS and the bulk copies reach it.
 */
public final class NativeFloats {

    private final INDArray owner;
    private final FloatPointer pointer;

    public NativeFloats(long length) {
        owner = Nd4j.create(DataType.FLOAT, Math.max(1, length));
        pointer = Sgemm.pointer(owner);
    }

    public FloatPointer pointer() {
        return pointer;
    }

    /** Copies {@code length} floats of {@code from} into the start of this block. */
    public FloatPointer load(float[] from, int length) {
        pointer.position(0).put(from, 0, length);
        return pointer;
    }

    /** Copies the first {@code length} floats of this block into {@code to}. */
    public float[] store(float[] to, int length) {
        pointer.position(0).get(to, 0, length);
        return to;
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
}
