package dev.gan.train;

/** Means over one epoch's iterations, how long it took and the resident memory after it; a metrics.csv row. */
public record EpochStats(int epoch, long iterations, double dLoss, double gLoss, double dReal, double dFake,
                         double seconds, double imagesPerSecond, long residentMb, double dLossSd, double gLossSd,
                         EpochEvaluator.Quality quality) {

    /** Means over the epoch; the _sd columns give the spread of the iteration losses within it. */
    public static final String CSV_HEADER =
            "epoch,iterations,d_loss,g_loss,d_real,d_fake,seconds,images_per_s,rss_mb,d_loss_sd,g_loss_sd";
    /** Extra columns when the run evaluates quality (--eval-every); empty cells in epochs without an evaluation. */
    public static final String QUALITY_HEADER = ",classifier_score,frechet_distance,label_accuracy";

    public String toCsv(boolean withQuality) {
        String row = String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%d,%.6f,%.6f",
                epoch, iterations, dLoss, gLoss, dReal, dFake, seconds, imagesPerSecond, residentMb, dLossSd, gLossSd);
        if (!withQuality) {
            return row;
        }
        if (quality == null) {
            return row + ",,,";
        }
        return row + String.format(java.util.Locale.ROOT, ",%.4f,%.4f,%s", quality.classifierScore(),
                quality.frechetDistance(), quality.labelAccuracy() == null ? ""
                        : String.format(java.util.Locale.ROOT, "%.4f", quality.labelAccuracy()));
    }
}
