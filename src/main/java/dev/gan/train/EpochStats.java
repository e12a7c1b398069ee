package dev.gan.train;

import dev.gan.run.CollapseWatch;
import dev.gan.run.MetricsTable;

/** Means over one epoch's iterations, how long it took and the resident memory after it; a metrics.csv row. */
public record EpochStats(int epoch, long iterations, double dLoss, double gLoss, double dReal, double dFake,
                         double seconds, double imagesPerSecond, long residentMb, double dLossSd, double gLossSd,
                         EpochEvaluator.Quality quality, double sampleSpread, CollapseWatch.Verdict collapse) {

    /**
     * The row under {@link MetricsTable#header}: {@link MetricsTable#COLUMNS}, then the quality columns if asked,
     * then the collapse columns.
     */
    public String toCsv(boolean withQuality) {
        String row = String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%d,%.6f,%.6f",
                epoch, iterations, dLoss, gLoss, dReal, dFake, seconds, imagesPerSecond, residentMb, dLossSd, gLossSd);
        if (withQuality) {
            row += quality == null ? ",,," : String.format(java.util.Locale.ROOT, ",%.4f,%.4f,%s",
                    quality.classifierScore(), quality.frechetDistance(), quality.labelAccuracy() == null ? ""
                            : String.format(java.util.Locale.ROOT, "%.4f", quality.labelAccuracy()));
        }
        return row + String.format(java.util.Locale.ROOT, ",%.4f,%d", sampleSpread, collapse.code());
    }
}
