package dev.gan.eval;

import dev.gan.util.AtomicFiles;
import dev.gan.util.Checksums;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Keeps the classifier's view of the real reference images on disk: their features, the real-vs-real floor and
 * the precision-recall manifold's radii; and the memorisation check's threshold for a set of training images.
 * Computing them is half of an evaluation (10,000 real test digits; 70,000 images where the train split is
 * there), and they only change when the classifier's weights or the image files do - both are in the key.
 * A missing, stale or unreadable entry is simply computed again.
 */
public final class ReferenceCache {

    /**
     * What an evaluation needs from the real images: the reference images' features, those of other real images
     * (the floor's, see QualityMetrics), and what every evaluation derives from them alike - the radii of the
     * precision and recall manifold, and the floor at the hold-out's full size (null where not derived). Kept,
     * they save 0.1-0.2 s of an eval of 10,000 samples.
     */
    public record Reference(float[][] features, float[][] holdout, double[] manifoldRadii, Double floor) {
        public Reference(float[][] features, float[][] holdout) {
            this(features, holdout, null, null);
        }
    }

    /** Computes the reference when the cache has none; may fail reading the images. */
    @FunctionalInterface
    public interface Computation<E extends Exception> {
        Reference compute() throws E;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceCache.class);
    private static final int MAGIC = 0x47524546; // "GREF"
    // 1 kept a floor number instead of the hold-out features; 2 libnd4j's pass made the features, 3 gan's own
    // (equal to float rounding): a reference from the pass that judges the samples; 4 adds the derived figures
    private static final int VERSION = 4;

    private static final int THRESHOLD_MAGIC = 0x474d454d; // "GMEM"
    private static final int THRESHOLD_VERSION = 1;

    private final Path dir;

    public ReferenceCache(Path dir) {
        this.dir = dir;
    }

    /** {@code ~/.gan/cache}, or the directory in the system property {@code gan.cache}. */
    public static ReferenceCache standard() {
        String configured = System.getProperty("gan.cache");
        return new ReferenceCache(configured != null ? Path.of(configured)
                : dev.gan.system.UserFiles.root().resolve("cache"));
    }

    /**
     * The cached reference for this classifier, these image files and this {@code recipe} (how the images were
     * split), or {@code computation}'s result, stored for next time.
     */
    public <E extends Exception> Reference get(DigitClassifier classifier, List<Path> imageFiles, String recipe,
                                              Computation<E> computation) throws E {
        Path file;
        Path unversioned;
        try {
            // The version in the name: two gan versions side by side keep an entry each instead of replacing each
            // other's at every eval. Entries of versions up to 3 had none.
            String key = key(classifier, imageFiles, recipe);
            file = dir.resolve("reference-v" + VERSION + "-" + key + ".bin");
            unversioned = dir.resolve("reference-" + key + ".bin");
        } catch (IOException e) {
            LOG.debug("cannot key the reference cache: {}", e.toString());
            return computation.compute();
        }
        if (Files.isRegularFile(file)) {
            try {
                return read(file);
            } catch (IOException | RuntimeException e) {
                LOG.debug("unreadable reference cache {}: {}", file, e.toString());
            }
        }
        Reference computed = QualityMetrics.derive(computation.compute());
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, out -> write(computed, out));
            Files.deleteIfExists(unversioned); // gan's own older entry for the same key: 10 MB nothing reads now
        } catch (IOException e) {
            LOG.debug("cannot store the reference cache {}: {}", file, e.toString());
        }
        return computed;
    }

    /**
     * The memorisation check's threshold for these training images (see {@link QualityMetrics}), or
     * {@code computation}'s, stored for next time. It depends on the images alone, so every run trained on them
     * shares it, and it is half of the check: {@link QualityMetrics#MEMORISATION_REFERENCE} training images against
     * all of them (1.1 s of a gan eval on one thread for the 60,000 digits). The key is the images' bytes.
     */
    public double memorisationThreshold(QualityMetrics.TrainingImages images, DoubleSupplier computation) {
        MessageDigest digest = sha256();
        digest.update(ByteBuffer.allocate(4 * Integer.BYTES).putInt(THRESHOLD_VERSION).putInt(images.count())
                .putInt(images.imageSize()).putInt(QualityMetrics.MEMORISATION_REFERENCE).flip());
        digest.update(images.pixels(), 0, images.count() * images.imageSize());
        Path file = dir.resolve("memorisation-" + HexFormat.of().formatHex(digest.digest(), 0, 12) + ".bin");
        if (Files.isRegularFile(file)) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                if (in.readInt() == THRESHOLD_MAGIC && in.readInt() == THRESHOLD_VERSION) {
                    double threshold = in.readDouble();
                    if (Double.isFinite(threshold) && threshold >= 0 && in.read() == -1) {
                        return threshold;
                    }
                }
                LOG.debug("not a memorisation threshold of this version: {}", file);
            } catch (IOException e) {
                LOG.debug("unreadable memorisation threshold {}: {}", file, e.toString());
            }
        }
        double computed = computation.getAsDouble();
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, stream -> {
                DataOutputStream out = new DataOutputStream(stream);
                out.writeInt(THRESHOLD_MAGIC);
                out.writeInt(THRESHOLD_VERSION);
                out.writeDouble(computed);
                out.flush();
            });
        } catch (IOException e) {
            LOG.debug("cannot store the memorisation threshold {}: {}", file, e.toString());
        }
        return computed;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    static String key(DigitClassifier classifier, List<Path> imageFiles, String recipe) throws IOException {
        MessageDigest digest = sha256();
        float[] weights = classifier.graph().params().toFloatVector();
        ByteBuffer bytes = ByteBuffer.allocate(weights.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(weights);
        digest.update(bytes);
        for (Path image : imageFiles) {
            digest.update(Checksums.sha256(image).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        digest.update(recipe.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    private static void write(Reference reference, java.io.OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        writeMatrix(reference.features(), out);
        writeMatrix(reference.holdout(), out);
        double[] radii = reference.manifoldRadii() == null ? new double[0] : reference.manifoldRadii();
        out.writeInt(radii.length);
        for (double r : radii) {
            out.writeDouble(r);
        }
        out.writeBoolean(reference.floor() != null);
        out.writeDouble(reference.floor() == null ? 0 : reference.floor());
        out.flush();
    }

    private static void writeMatrix(float[][] f, DataOutputStream out) throws IOException {
        out.writeInt(f.length);
        out.writeInt(f.length == 0 ? 0 : f[0].length);
        for (float[] row : f) {
            for (float v : row) {
                out.writeFloat(v);
            }
        }
    }

    private static float[][] readMatrix(DataInputStream in, long fileSize) throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows < 0 || cols < 0 || (long) rows * cols * Float.BYTES > fileSize) {
            throw new IOException("bad shape " + rows + "x" + cols);
        }
        float[][] features = new float[rows][cols];
        byte[] bytes = new byte[cols * Float.BYTES];
        for (float[] row : features) {
            in.readFully(bytes); // a row at a time: a call per float was most of the read
            ByteBuffer.wrap(bytes).asFloatBuffer().get(row); // big-endian, as DataOutputStream wrote them
        }
        return features;
    }

    private static Reference read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a reference cache file of this version");
            }
            long size = Files.size(file);
            float[][] features = readMatrix(in, size);
            float[][] holdout = readMatrix(in, size);
            int radiiCount = in.readInt();
            if (radiiCount < 0 || (long) radiiCount * Double.BYTES > size) {
                throw new IOException("bad radii count " + radiiCount);
            }
            double[] radii = new double[radiiCount];
            for (int i = 0; i < radiiCount; i++) {
                radii[i] = in.readDouble();
            }
            boolean hasFloor = in.readBoolean();
            double floor = in.readDouble();
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
            return new Reference(features, holdout, radii, hasFloor ? floor : null);
        }
    }
}
