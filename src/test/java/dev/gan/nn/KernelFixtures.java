package dev.gan.nn;

import java.util.Random;

/** What the kernel tests share: seeded random arrays, and parameters in native memory as the graphs hold them. */
final class KernelFixtures {

    private final Random random;
    /** The native memory of the parameters made here: held so that no collection frees it under a test. */
    private final java.util.List<NativeFloats> held = new java.util.ArrayList<>();

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
        held.add(memory);
        held.add(gradient);
        memory.load(values, values.length);
        return new ParameterMemory(memory.pointer(), gradient.pointer(), values.length);
    }

    /** The gradient a kernel wrote for {@code p}. */
    static float[] gradient(ParameterMemory p) {
        float[] g = new float[p.length()];
        p.gradient().position(0).get(g, 0, g.length);
        return g;
    }
}
