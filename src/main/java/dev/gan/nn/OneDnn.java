package dev.gan.nn;

import dev.gan.util.Sgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Whether libnd4j was built with oneDNN (the {@code onednn} native classifier, which gan's CPU build ships), and
 * the copies between the kernels' Java arrays and the native arrays its ops run on.
 *
 * <p>Why oneDNN: libnd4j's convolution ops without it build im2col matrices of their own and measured 3-20
 * times the time of their multiplies; with it, {@code conv2d}, {@code conv2d_bp}, and {@code deconv2d} and
 * {@code deconv2d_bp} with explicit padding, run oneDNN's direct convolutions, about twice as fast here as
 * im2col with OpenBLAS for D's second convolution and G's first transposed one (measured on one core, batch
 * 100-200, width 64). Not for every shape: a transposed convolution to one channel, and the weight gradient
 * of a convolution from one or two channels, measured slower than im2col, and there gan keeps its own.
 */
public final class OneDnn {

    private static final boolean AVAILABLE = detect();

    private OneDnn() {
    }

    /** Set to true, this system property keeps gan's own kernels (for comparisons and tests). */
    public static final String OFF_PROPERTY = "gan.oneDnnOff";

    /** True on the CPU backend when libnd4j has oneDNN, unless {@link #OFF_PROPERTY} is set. */
    public static boolean available() {
        return AVAILABLE && !Boolean.getBoolean(OFF_PROPERTY);
    }

    private static boolean detect() {
        try {
            return Nd4j.getEnvironment().isCPU()
                    && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code length} floats of {@code from} from {@code offset} on into the start of {@code to}. */
    static void load(float[] from, int offset, int length, FloatPointer to) {
        NativeFloats.toNativeInParts(from, offset, to.address(), fits(length, to));
    }

    /** The first {@code length} floats of {@code from} into {@code to} from {@code offset} on. */
    static void store(FloatPointer from, float[] to, int offset, int length) {
        NativeFloats.fromNativeInParts(from.address(), to, offset, fits(length, from));
    }

    private static int fits(int length, FloatPointer pointer) {
        if (length > pointer.capacity()) {
            throw new IndexOutOfBoundsException(length + " floats in a native array of " + pointer.capacity());
        }
        return length;
    }

    /** A parameter's values into {@code to} (an array of its shape in the graph's layout). */
    static void load(ParameterMemory parameter, FloatPointer to) {
        copy(parameter.values(), to, parameter.length());
    }

    /** {@code from} into a parameter's gradient. */
    static void storeGradient(FloatPointer from, ParameterMemory parameter) {
        copy(from, parameter.gradient(), parameter.length());
    }

    private static void copy(FloatPointer from, FloatPointer to, int length) {
        Pointer.memcpy(to.position(0), from.position(0), (long) length * Float.BYTES);
    }
}
