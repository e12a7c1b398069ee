package dev.gan.nn;

import org.bytedeco.javacpp.FloatPointer;

/**
 * One parameter array of a network and its gradient, as native memory inside the network's flat parameter and
 * gradient arrays. Kernels read the values and write the gradient summed over the batch.
 */
public record ParameterMemory(FloatPointer values, FloatPointer gradient, int length) {

    public float[] read(float[] to) {
        values.position(0).get(to, 0, length);
        return to;
    }

    public void writeGradient(float[] from) {
        gradient.position(0).put(from, 0, length);
    }
}
