package dev.gan.util;

import java.lang.reflect.Field;

/**
 * Copies between Java float arrays and native memory at any offset, without JNI: {@code Unsafe.copyMemory},
 * which the JDK's own direct buffers use. Why: im2col writes its matrix as runs of one kernel row's taps
 * (128 floats for 32 channels); building it in a Java array and copying the whole matrix across (20 MB for
 * D's second convolution) cost a full extra pass per multiply, and a JNI call per run costs more than the run.
 */
public final class NativeCopy {

    private static final sun.misc.Unsafe UNSAFE = unsafe();
    private static final long FLOATS = UNSAFE.arrayBaseOffset(float[].class);

    private NativeCopy() {
    }

    /** {@code count} floats from {@code src[from]} to native {@code address}. */
    public static void toNative(float[] src, int from, long address, int count) {
        if (from < 0 || from + count > src.length) {
            throw new IndexOutOfBoundsException(from + "+" + count + " outside " + src.length);
        }
        UNSAFE.copyMemory(src, FLOATS + (long) from * Float.BYTES, null, address, (long) count * Float.BYTES);
    }

    /** {@code count} floats from native {@code address} to {@code dst[to]}. */
    public static void fromNative(long address, float[] dst, int to, int count) {
        if (to < 0 || to + count > dst.length) {
            throw new IndexOutOfBoundsException(to + "+" + count + " outside " + dst.length);
        }
        UNSAFE.copyMemory(null, address, dst, FLOATS + (long) to * Float.BYTES, (long) count * Float.BYTES);
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Unsafe is not available", e);
        }
    }
}
