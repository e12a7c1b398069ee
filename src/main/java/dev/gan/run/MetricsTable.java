package dev.gan.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * metrics.csv: its columns (written by training, one row per epoch) and the table read back by column name;
 * a missing cell (an epoch without evaluation) is NaN.
 */
public record MetricsTable(List<String> header, List<double[]> rows) {

    public static final String EPOCH = "epoch";
    public static final String ITERATIONS = "iterations";
    public static final String D_LOSS = "d_loss";
    public static final String G_LOSS = "g_loss";
    public static final String D_REAL = "d_real";
    public static final String D_FAKE = "d_fake";
    public static final String SECONDS = "seconds";
    public static final String IMAGES_PER_S = "images_per_s";
    public static final String RSS_MB = "rss_mb";
    public static final String D_LOSS_SD = "d_loss_sd";
    public static final String G_LOSS_SD = "g_loss_sd";
    public static final String CLASSIFIER_SCORE = "classifier_score";
    public static final String FRECHET_DISTANCE = "frechet_distance";
    public static final String LABEL_ACCURACY = "label_accuracy";
    public static final String SAMPLE_SPREAD = "sample_spread";
    public static final String COLLAPSE = "collapse";

    /** Every run's columns, in order: means over the epoch; the _sd columns give the spread of the iteration losses. */
    public static final List<String> COLUMNS = List.of(EPOCH, ITERATIONS, D_LOSS, G_LOSS, D_REAL, D_FAKE, SECONDS,
            IMAGES_PER_S, RSS_MB, D_LOSS_SD, G_LOSS_SD);
    /** The columns of every metrics.csv gan has written (the _sd columns came later): a row has numbers in these. */
    static final List<String> FIRST_COLUMNS = COLUMNS.subList(0, COLUMNS.indexOf(D_LOSS_SD));
    /** Columns added when the run evaluates quality (--eval-every); empty in epochs without an evaluation. */
    public static final List<String> QUALITY_COLUMNS = List.of(CLASSIFIER_SCORE, FRECHET_DISTANCE, LABEL_ACCURACY);

    /**
     * Columns last in every row since the collapse watch: the fixed noise's per-pixel spread, and the epoch's
     * verdict (0 none, 1 D wins outright, 2 samples alike; see CollapseWatch). Runs from before have no such cells.
     */
    public static final List<String> COLLAPSE_COLUMNS = List.of(SAMPLE_SPREAD, COLLAPSE);

    /** The header line of a run's metrics.csv. */
    public static String header(boolean withQuality) {
        return String.join(",", COLUMNS) + (withQuality ? "," + String.join(",", QUALITY_COLUMNS) : "")
                + "," + String.join(",", COLLAPSE_COLUMNS);
    }

    /** A metrics.csv that is not what gan train writes: one line naming the file, the line and what is wrong. */
    public static final class DamagedException extends RuntimeException {
        public DamagedException(String message) {
            super(message);
        }
    }

    /**
     * Reads a metrics.csv, checking it is one gan train wrote: its header starts with {@link #FIRST_COLUMNS}, and every
     * row has a number in each of those (the later columns may be empty: an epoch without evaluation, or a row
     * from before a column was added).
     */
    public static MetricsTable read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).startsWith(String.join(",", FIRST_COLUMNS))) {
            throw new DamagedException(csv + ": " + (lines.isEmpty() ? "is empty" : "line 1 is not the header gan "
                    + "train writes (" + String.join(",", COLUMNS) + ",...)"));
        }
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<double[]> rows = new ArrayList<>();
        int before = FIRST_COLUMNS.size();
        for (int n = 1; n < lines.size(); n++) {
            String[] cells = lines.get(n).split(",", -1);
            if (cells.length < FIRST_COLUMNS.size() || cells.length > header.size()) {
                throw new DamagedException(csv + ": line " + (n + 1) + " has " + cells.length + " cells, expected "
                        + FIRST_COLUMNS.size() + " to " + header.size());
            }
            // Columns are only ever added, and a resumed run keeps its older rows before the rows it writes in full:
            // a row shorter than the one before it, or a short last row, was cut off.
            if (cells.length < before || n == lines.size() - 1 && cells.length < header.size()) {
                throw new DamagedException(csv + ": line " + (n + 1) + " has " + cells.length + " cells, fewer than "
                        + (cells.length < before ? "the " + before + " of the line before it" : "the header's "
                        + header.size()));
            }
            before = cells.length;
            double[] row = new double[header.size()];
            for (int i = 0; i < row.length; i++) {
                String cell = i < cells.length ? cells[i] : "";
                if (cell.isEmpty() && i >= FIRST_COLUMNS.size()) {
                    row[i] = Double.NaN;
                    continue;
                }
                try {
                    row[i] = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new DamagedException(csv + ": line " + (n + 1) + ", column " + header.get(i) + ": '" + cell
                            + "' is not a number");
                }
            }
            rows.add(row);
        }
        return new MetricsTable(header, rows);
    }

    public boolean has(String column) {
        return header.contains(column);
    }

    /** The column's values, skipping rows where it is empty, paired with their epochs. */
    public double[][] series(String column) {
        int c = header.indexOf(column);
        List<double[]> points = new ArrayList<>();
        for (double[] row : rows) {
            if (!Double.isNaN(row[c])) {
                points.add(new double[] {row[0], row[c]});
            }
        }
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }

    /** The column's value in every row, NaN where a row has none. */
    public double[] column(String column) {
        return rows.stream().mapToDouble(row -> value(row, column)).toArray();
    }

    public double[] last() {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }

    /** A row's value in the named column (NaN where the run has no such column). */
    public double value(double[] row, String column) {
        int c = header.indexOf(column);
        return c < 0 || c >= row.length ? Double.NaN : row[c];
    }
}
