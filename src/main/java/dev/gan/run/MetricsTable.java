package dev.gan.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** metrics.csv read back as columns; a missing cell (an epoch without evaluation) is NaN. */
public record MetricsTable(List<String> header, List<double[]> rows) {

    public static MetricsTable read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            double[] row = new double[header.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = i < cells.length && !cells[i].isEmpty() ? Double.parseDouble(cells[i]) : Double.NaN;
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

    public double[] last() {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }
}
