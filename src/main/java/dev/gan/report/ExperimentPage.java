package dev.gan.report;

import dev.gan.experiment.ExperimentReport;
import dev.gan.util.AtomicFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code DIR/report.html} for an experiment: the summary table (click a header to sort), each metric plotted
 * against each varied setting, and the last sample grid of every run side by side.
 */
public final class ExperimentPage {

    private static final Map<String, Function<ExperimentReport.Row, Double>> METRICS = Map.of(
            "classifier score", ExperimentReport.Row::classifierScore,
            "frechet distance", ExperimentReport.Row::frechetDistance,
            "label accuracy", ExperimentReport.Row::labelAccuracy,
            "final G loss", ExperimentReport.Row::gLoss);

    private ExperimentPage() {
    }

    public static Path write(Path dir, List<ExperimentReport.Row> rows) throws IOException {
        List<String> keys = new ArrayList<>(new TreeSet<>(rows.stream().flatMap(r -> r.settings().keySet().stream()).toList()));
        StringBuilder html = RunReport.Html.page("gan experiment " + dir.getFileName());
        html.append("<h1>gan experiment <code>").append(RunReport.Html.escape(dir.getFileName().toString())).append("</code></h1>\n");
        html.append("<h2>Runs</h2>\n<table id=\"summary\"><thead><tr><th class=\"sortable\">run</th>");
        for (String key : keys) {
            html.append("<th class=\"sortable\">").append(RunReport.Html.escape(key)).append("</th>");
        }
        html.append("<th class=\"sortable\">status</th>");
        for (String metric : ExperimentReport.METRICS) {
            html.append("<th class=\"sortable\">").append(metric.replace('_', ' ')).append("</th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (ExperimentReport.Row r : rows) {
            html.append("<tr><td>").append(RunReport.Html.escape(r.name())).append("</td>");
            for (String key : keys) {
                html.append("<td>").append(RunReport.Html.escape(r.settings().getOrDefault(key, ""))).append("</td>");
            }
            html.append("<td>").append(r.status()).append("</td>");
            for (Double v : r.values()) {
                html.append("<td>").append(v == null ? "" : RunReport.Html.number(v)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n").append(SORT_SCRIPT);
        List<String> plots = plots(dir, rows, keys);
        if (!plots.isEmpty()) {
            html.append("<h2>Metrics against settings</h2>\n<div class=\"plots\">");
            plots.forEach(p -> html.append("<img src=\"plots/").append(p).append("\" alt=\"").append(p).append("\">"));
            html.append("</div>\n");
        }
        html.append("<h2>Last sample grid of each run</h2>\n<div class=\"film\">");
        for (ExperimentReport.Row r : rows) {
            List<String> grids = RunReport.sampleGrids(dir.resolve(r.name()));
            if (!grids.isEmpty()) {
                String last = grids.get(grids.size() - 1);
                html.append("<figure><img src=\"").append(RunReport.Html.escape(r.name())).append("/samples/").append(last)
                        .append("\" alt=\"").append(RunReport.Html.escape(r.name())).append("\"><figcaption>")
                        .append(RunReport.Html.escape(r.name())).append("</figcaption></figure>");
            }
        }
        html.append("</div>\n");
        Path target = dir.resolve("report.html");
        AtomicFiles.writeString(target, RunReport.Html.end(html));
        return target;
    }

    private static List<String> plots(Path dir, List<ExperimentReport.Row> rows, List<String> keys) throws IOException {
        List<String> written = new ArrayList<>();
        Path plots = dir.resolve("plots");
        for (String key : keys) {
            List<String> values = new ArrayList<>(new TreeSet<>(rows.stream().map(r -> r.settings().getOrDefault(key, "")).toList()));
            if (values.size() < 2 || key.equals("seed")) { // seeds are repetitions, not a setting to compare
                continue;
            }
            for (Map.Entry<String, Function<ExperimentReport.Row, Double>> metric : METRICS.entrySet()) {
                List<double[]> points = new ArrayList<>();
                for (ExperimentReport.Row r : rows) {
                    Double y = metric.getValue().apply(r);
                    if (y != null) {
                        points.add(new double[] {values.indexOf(r.settings().getOrDefault(key, "")), y});
                    }
                }
                if (points.isEmpty()) {
                    continue;
                }
                Files.createDirectories(plots);
                XYChart chart = Charts.chart(metric.getKey() + " by " + key + " (" + String.join(", ", values) + ")",
                        key + " (index of value)", metric.getKey());
                double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
                double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
                chart.addSeries(metric.getKey(), x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                String name = (metric.getKey() + "-by-" + key).replaceAll("[^A-Za-z0-9-]", "-") + ".png";
                Charts.save(chart, plots.resolve(name));
                written.add(name);
            }
        }
        return written;
    }

    private static final String SORT_SCRIPT = """
            <script>
            // Click a column header to sort the table by it (numbers numerically), again to reverse.
            document.querySelectorAll('#summary th').forEach(function (th, column) {
              th.addEventListener('click', function () {
                var body = document.querySelector('#summary tbody');
                var rows = Array.prototype.slice.call(body.rows);
                var up = th.dataset.order !== 'up';
                th.dataset.order = up ? 'up' : 'down';
                rows.sort(function (a, b) {
                  var x = a.cells[column].textContent, y = b.cells[column].textContent;
                  var nx = parseFloat(x), ny = parseFloat(y);
                  var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
                  return up ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
            </script>
            """;
}
