package dev.gan.nn;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Random;

/** What the kernel tests share: seeded random arrays, and parameters in native memory as the graphs hold them. */
final class KernelFixtures {

    private final Random random;

    KernelFixtures(long seed) {
        random = new Random(seed);
    }

    /** {@code n} standard normal floats. */
    float[] randoms(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** A parameter holding {@code values}, with a gradient of zeros beside it. */
    ParameterMemory parameter(float[] values) {
        NativeFloats memory = new NativeFloats(values.length);
        NativeFloats gradient = new NativeFloats(values.length);
        memory.load(values, values.length);
        return new ParameterMemory(holding(memory), holding(gradient), values.length);
    }

    /**
     * {@code memory}'s pointer, holding {@code memory}: the parameter keeps its native memory alive as long as a
     * test uses it, as a graph keeps its arrays. A bare pointer does not, and a list here did not either once the
     * fixtures themselves were out of use: a collection in the middle of a kernel then freed the memory under it
     * (a batch-norm test failed once in many runs).
     */
    private static FloatPointer holding(NativeFloats memory) {
        return new FloatPointer(memory.pointer()) {
            @SuppressWarnings("unused")
            private final NativeFloats owner = memory;
        };
    }

    /** The gradient a kernel wrote for {@code p}. */
    static float[] gradient(ParameterMemory p) {
        float[] g = new float[p.length()];
        p.gradient().position(0).get(g, 0, g.length);
        return g;
    }
}
