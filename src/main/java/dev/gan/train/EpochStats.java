package dev.gan.train;

/** Means over one epoch's iterations, how long it took and the resident memory after it; a metrics.csv row. */
public record EpochStats(int epoch, long iterations, double dLoss, double gLoss, double dReal, double dFake,
                         double seconds, double imagesPerSecond, long residentMb) {

    public static final String CSV_HEADER = "epoch,iterations,d_loss,g_loss,d_real,d_fake,seconds,images_per_s,rss_mb";

    public String toCsv() {
        return String.format(java.util.Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%d",
                epoch, iterations, dLoss, gLoss, dReal, dFake, seconds, imagesPerSecond, residentMb);
    }
}
