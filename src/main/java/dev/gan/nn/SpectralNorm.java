package dev.gan.nn;

import java.util.SplittableRandom;

/**
 * Spectral normalization of one weight matrix (Miyato et al. 2018): the layer computes with W / sigma(W), sigma the
 * largest singular value, estimated by power iteration whose vectors u and v persist from pass to pass, so one
 * iteration per pass keeps the estimate close as W changes slowly. As in {@code torch.nn.utils.spectral_norm}, the
 * gradient flows through sigma with u and v held fixed: dL/dW = (G - (G . W_sn) u v^T) / sigma for G = dL/dW_sn.
 *
 * <p>The raw weights stay the network's parameters (Adam updates them, files keep them); the normalized ones live
 * in memory of their own that the kernels read as they would read the layer's, through {@link #normalized()}.
 * The matrix is the raw array read row-major as rows x cols: a convolution's [out, in, kH, kW] has rows = out; a
 * dense layer's Fortran-order [nIn, nOut] is row-major [nOut, nIn], rows = nOut.
 */
public final class SpectralNorm {

    private static final double EPS = 1e-12; // torch's: a zero vector stays finite

    private final ParameterMemory raw;
    private final int rows;
    private final int cols;
    private final ParameterMemory normalized;
    private final NativeFloats normalizedValues;
    private final NativeFloats normalizedGradient;
    private final float[] w;
    private final float[] normalizedCopy; // W / sigma as last written, for backward
    private final float[] g;
    private final float[] u;
    private final float[] v;
    private final double[] product;
    private double sigma = Double.NaN;

    /** Vectors start as normalized N(0, 1) draws from {@code random}. */
    public SpectralNorm(ParameterMemory raw, int rows, int cols, SplittableRandom random) {
        if ((long) rows * cols != raw.length()) {
            throw new IllegalArgumentException(rows + " x " + cols + " is not the " + raw.length() + " weights");
        }
        this.raw = raw;
        this.rows = rows;
        this.cols = cols;
        normalizedValues = new NativeFloats(raw.length());
        normalizedGradient = new NativeFloats(raw.length());
        normalized = new ParameterMemory(normalizedValues.pointer(), normalizedGradient.pointer(), raw.length());
        w = new float[raw.length()];
        normalizedCopy = new float[raw.length()];
        g = new float[raw.length()];
        u = new float[rows];
        v = new float[cols];
        product = new double[Math.max(rows, cols)];
        fill(u, random);
        fill(v, random);
    }

    /** The normalized weights (and where the kernels write their gradient): what the layer computes with. */
    public ParameterMemory normalized() {
        return normalized;
    }

    /** The last estimate of the largest singular value of the raw weights. */
    public double sigma() {
        return sigma;
    }

    /**
     * Reads the raw weights, runs one power iteration if {@code iterate} (v = W^T u, u = W v, each normalized), and
     * writes W / sigma, sigma = u^T W v, into {@link #normalized()}.
     */
    public void normalize(boolean iterate) {
        raw.read(w);
        if (iterate) {
            multiplyTransposed(u, product);
            normalizeInto(product, v);
        }
        multiply(v, product);
        if (iterate) {
            normalizeInto(product, u);
        }
        double s = 0;
        for (int i = 0; i < rows; i++) {
            s += u[i] * product[i];
        }
        sigma = s;
        float scale = (float) (1 / s);
        for (int i = 0; i < w.length; i++) {
            normalizedCopy[i] = w[i] * scale;
        }
        normalizedValues.load(normalizedCopy, w.length);
    }

    /** Turns the gradient the kernels wrote for the normalized weights into the raw weights' gradient. */
    public void backward() {
        normalizedGradient.store(g, g.length);
        double along = 0; // G . W_sn
        for (int i = 0; i < g.length; i++) {
            along += (double) g[i] * normalizedCopy[i];
        }
        float inverse = (float) (1 / sigma);
        for (int r = 0; r < rows; r++) {
            float c = (float) (along * u[r]);
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                g[row + j] = (g[row + j] - c * v[j]) * inverse;
            }
        }
        raw.writeGradient(g);
    }

    /** u then v: what a resumed run needs to go on with the same estimate. */
    public float[] state() {
        float[] state = new float[rows + cols];
        System.arraycopy(u, 0, state, 0, rows);
        System.arraycopy(v, 0, state, rows, cols);
        return state;
    }

    /** Takes back vectors {@link #state()} gave. */
    public void restore(float[] state) {
        if (state.length != rows + cols) {
            throw new IllegalArgumentException("spectral norm vectors of length " + state.length + ", expected "
                    + (rows + cols));
        }
        System.arraycopy(state, 0, u, 0, rows);
        System.arraycopy(state, rows, v, 0, cols);
    }

    private void multiply(float[] x, double[] to) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                s += w[row + j] * x[j];
            }
            to[r] = s;
        }
    }

    private void multiplyTransposed(float[] y, double[] to) {
        java.util.Arrays.fill(to, 0, cols, 0);
        for (int r = 0; r < rows; r++) {
            double yr = y[r];
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                to[j] += w[row + j] * yr;
            }
        }
    }

    private static void normalizeInto(double[] x, float[] to) {
        double norm = 0;
        for (int i = 0; i < to.length; i++) {
            norm += x[i] * x[i];
        }
        double inverse = 1 / Math.max(Math.sqrt(norm), EPS);
        for (int i = 0; i < to.length; i++) {
            to[i] = (float) (x[i] * inverse);
        }
    }

    private static void fill(float[] x, SplittableRandom random) {
        double[] draws = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            draws[i] = random.nextGaussian();
        }
        normalizeInto(draws, x);
    }
}
