/**
 * Layer arithmetic for the CPU written out over flat float arrays: convolutions and transposed convolutions as
 * im2col/col2im plus OpenBLAS's sgemm, or as libnd4j's oneDNN ops where that build is present and faster (see
 * {@link dev.gan.nn.OneDnn}), batch normalization, and the native memory the multiplies run on. No DL4J graph types here: the training steps map a graph's parameter and gradient memory onto these kernels.
 *
 * <p>Activations are row-major with channels last (NHWC): an image of H x W pixels and C channels is H*W rows
 * of C floats, so a convolution's im2col rows are runs of contiguous channel blocks and its output is one
 * matrix multiply over the whole batch.
 */
package dev.gan.nn;
