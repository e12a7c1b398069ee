package dev.gan.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceCacheTest {

    @TempDir
    Path tmp;

    private final AtomicInteger computations = new AtomicInteger();

    private ReferenceCache.Reference compute() {
        int n = computations.incrementAndGet();
        return new ReferenceCache.Reference(new float[][] {{n, 0.5f}, {-1.25f, 3}}, new float[][] {{26.5f + n, 1}});
    }

    private Path images(String content) throws IOException {
        Path file = tmp.resolve("images-" + content);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void theSecondRequestReadsWhatTheFirstComputed() throws IOException {
        ReferenceCache cache = new ReferenceCache(tmp.resolve("cache"));
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 1);
        List<Path> files = List.of(images("a"));

        ReferenceCache.Reference first = cache.get(classifier, files, "halves", this::compute);
        ReferenceCache.Reference second = cache.get(classifier, files, "halves", this::compute);

        assertThat(computations).hasValue(1);
        assertThat(second.features()).isDeepEqualTo(first.features());
        assertThat(second.holdout()).isDeepEqualTo(first.holdout());
    }

    @Test
    void itKeepsTheManifoldRadiiAndTheFloorDerivedFromTheFeatures() throws IOException {
        ReferenceCache cache = new ReferenceCache(tmp.resolve("cache"));
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 1);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        float[][] features = new float[40][6];
        float[][] holdout = new float[30][6];
        for (float[][] set : new float[][][] {features, holdout}) {
            for (float[] row : set) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) random.nextGaussian();
                }
            }
        }

        ReferenceCache.Reference computed = cache.get(classifier, List.of(images("a")), "halves",
                () -> new ReferenceCache.Reference(features, holdout));
        ReferenceCache.Reference read = cache.get(classifier, List.of(images("a")), "halves", this::compute);

        assertThat(computations).hasValue(0);
        assertThat(computed.manifoldRadii()).containsExactly(NearestNeighbours.kthWithin(features, QualityReport.MANIFOLD_K));
        assertThat(computed.floor()).isEqualTo(FrechetDistance.between(holdout, features));
        assertThat(read.manifoldRadii()).containsExactly(computed.manifoldRadii());
        assertThat(read.floor()).isEqualTo(computed.floor());
    }

    @Test
    void anOlderVersionsEntryForTheSameKeyGoesWhenTheNewOneIsWritten() throws IOException {
        Path dir = tmp.resolve("cache");
        ReferenceCache cache = new ReferenceCache(dir);
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 1);
        List<Path> files = List.of(images("a"));
        Files.createDirectories(dir);
        Path older = dir.resolve("reference-" + ReferenceCache.key(classifier, files, "halves") + ".bin");
        Path otherKey = dir.resolve("reference-000000000000000000000000.bin");
        Files.write(older, new byte[] {1});
        Files.write(otherKey, new byte[] {2});

        cache.get(classifier, files, "halves", this::compute);

        assertThat(older).doesNotExist();
        assertThat(otherKey).exists();
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("reference-v"));
        }
    }

    @Test
    void otherWeightsOtherImagesOrAnotherSplitAreComputedAgain() throws IOException {
        ReferenceCache cache = new ReferenceCache(tmp.resolve("cache"));
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 1);
        List<Path> files = List.of(images("a"));
        cache.get(classifier, files, "halves", this::compute);

        cache.get(DigitClassifier.create(28, 28, 10, 2), files, "halves", this::compute);
        cache.get(classifier, List.of(images("b")), "halves", this::compute);
        cache.get(classifier, files, "train vs test", this::compute);
        classifier.graph().params().addi(1e-3); // retrained in place
        cache.get(classifier, files, "halves", this::compute);

        assertThat(computations).hasValue(5);
    }

    @Test
    void aDamagedEntryIsComputedAgainAndReplaced() throws IOException {
        Path dir = tmp.resolve("cache");
        ReferenceCache cache = new ReferenceCache(dir);
        DigitClassifier classifier = DigitClassifier.create(28, 28, 10, 1);
        List<Path> files = List.of(images("a"));
        cache.get(classifier, files, "halves", this::compute);
        try (var entries = Files.list(dir)) {
            Path entry = entries.filter(p -> p.getFileName().toString().startsWith("reference-")).findFirst().orElseThrow();
            Files.write(entry, new byte[] {1, 2, 3});
        }

        ReferenceCache.Reference again = cache.get(classifier, files, "halves", this::compute);
        ReferenceCache.Reference read = cache.get(classifier, files, "halves", this::compute);

        assertThat(computations).hasValue(2);
        assertThat(read.holdout()).isDeepEqualTo(again.holdout()).isDeepEqualTo(new float[][] {{28.5f, 1}});
    }

    @Test
    void aMemorisationThresholdIsComputedOncePerSetOfTrainingImages() throws IOException {
        Path dir = tmp.resolve("cache");
        ReferenceCache cache = new ReferenceCache(dir);
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8};
        QualityMetrics.TrainingImages images = new QualityMetrics.TrainingImages(pixels, 2, 4);
        java.util.function.DoubleSupplier threshold = () -> 0.25 + computations.incrementAndGet();

        assertThat(cache.memorisationThreshold(images, threshold)).isEqualTo(1.25);
        assertThat(cache.memorisationThreshold(new QualityMetrics.TrainingImages(pixels.clone(), 2, 4), threshold))
                .as("the same bytes elsewhere").isEqualTo(1.25);
        assertThat(computations).hasValue(1);

        assertThat(cache.memorisationThreshold(new QualityMetrics.TrainingImages(pixels, 1, 4), threshold))
                .as("fewer of them").isEqualTo(2.25);
        byte[] other = pixels.clone();
        other[7] = 9;
        assertThat(cache.memorisationThreshold(new QualityMetrics.TrainingImages(other, 2, 4), threshold))
                .as("another pixel").isEqualTo(3.25);
        try (var entries = Files.list(dir)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith("memorisation-")).toList()) {
                Files.write(entry, new byte[] {1, 2, 3}); // damaged: computed again
            }
        }
        assertThat(cache.memorisationThreshold(images, threshold)).isEqualTo(4.25);
        assertThat(cache.memorisationThreshold(images, threshold)).isEqualTo(4.25);
        assertThat(computations).hasValue(4);
    }
}
