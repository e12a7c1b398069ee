package dev.gan.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gan.run.CollapseWatch;
import dev.gan.run.MetricsTable;
import dev.gan.run.Ownership;
import dev.gan.run.RunLayout;
import dev.gan.util.AtomicFiles;
import dev.gan.util.Json;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The story of one run on one static page: {@code RUN_DIR/plots/*.png} from metrics.csv and
 * {@code RUN_DIR/report.html} with the configuration, final metrics, plots, the sample grids over epochs and
 * the eval table. No server, no CDN: images are relative paths, the one script is inline.
 */
public final class RunReport {

    private RunReport() {
    }

    /** A JSON file of the run, null when it is not there; a damaged one is refused naming it. */
    private static JsonNode readIfThere(Path file) throws IOException {
        return Files.exists(file) ? Json.read(file) : null;
    }

    /** Writes the plots and report.html; returns the report's path. */
    public static Path write(Path runDir) throws IOException {
        return write(runDir, false);
    }

    /**
     * As {@link #write(Path)}; a report.html that gan did not write (the user's notes under that name) is replaced
     * only when {@code force}, else refused ({@link Ownership.NotReplaceableException}) before anything is written.
     */
    public static Path write(Path runDir, boolean force) throws IOException {
        Path target = runDir.resolve(RunLayout.REPORT);
        Ownership.requireWritable(target, Ownership.Kind.RUN_REPORT, force, "--force");
        List<String> plots = plots(runDir);
        JsonNode config = readIfThere(runDir.resolve(RunLayout.CONFIG));
        StringBuilder html = Html.page("gan run " + runDir.getFileName());
        html.append("<h1>gan run <code>").append(Html.escape(runDir.getFileName().toString())).append("</code></h1>\n");
        if (config != null) {
            html.append("<h2>Configuration</h2>\n").append(Html.keyValues(config.path("config")));
            html.append("<p class=\"small\">Data: ").append(Html.escape(config.path("data").path("images").asText()))
                    .append(" (").append(config.path("data").path("count").asInt()).append(" images); ")
                    .append(Html.escape(config.path("runtime").path("backend").asText())).append(" backend, DL4J ")
                    .append(Html.escape(config.path("runtime").path("dl4j").asText())).append(".</p>\n");
        }
        if (Files.exists(runDir.resolve(RunLayout.METRICS))) {
            MetricsTable metrics = MetricsTable.read(runDir.resolve(RunLayout.METRICS));
            double[] last = metrics.last();
            double collapse = last == null ? Double.NaN : metrics.value(last, MetricsTable.COLLAPSE);
            if (!Double.isNaN(collapse) && collapse != 0) {
                html.append("<p class=\"warning\"><strong>Collapsed:</strong> ").append(Html.escape(
                        CollapseWatch.describe(CollapseWatch.Verdict.ofCode((int) collapse), (int) last[0])))
                        .append("</p>\n");
            }
            if (last != null) {
                html.append("<h2>Final epoch</h2>\n<table>");
                for (int i = 0; i < metrics.header().size(); i++) {
                    if (!Double.isNaN(last[i])) {
                        html.append("<tr><th>").append(metrics.header().get(i)).append("</th><td>")
                                .append(Html.number(last[i])).append("</td></tr>");
                    }
                }
                html.append("</table>\n");
            }
        }
        JsonNode eval = readIfThere(runDir.resolve(RunLayout.EVAL));
        if (eval != null) {
            JsonNode report = eval.path("report");
            html.append("<h2>Evaluation (gan eval)</h2>\n").append(Html.keyValues(report));
        }
        html.append("<h2>Training curves</h2>\n<div class=\"plots\">");
        for (String plot : plots) {
            html.append("<img src=\"plots/").append(plot).append("\" alt=\"").append(plot).append("\">");
        }
        html.append("</div>\n<h2>Samples over epochs (fixed noise)</h2>\n<div class=\"film\">");
        for (String grid : sampleGrids(runDir)) {
            html.append("<figure><img src=\"samples/").append(grid).append("\" alt=\"").append(grid)
                    .append("\"><figcaption>").append(grid.replace(".png", "")).append("</figcaption></figure>");
        }
        html.append("</div>\n");
        AtomicFiles.writeString(target, Html.end(html));
        return target;
    }

    static List<String> sampleGrids(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir.resolve("samples"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runDir.resolve("samples"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("epoch-") && n.endsWith(".png"))
                    .sorted().toList();
        }
    }

    private static List<String> plots(Path runDir) throws IOException {
        List<String> written = new ArrayList<>();
        Path csv = runDir.resolve(RunLayout.METRICS);
        if (!Files.exists(csv)) {
            return written;
        }
        MetricsTable m = MetricsTable.read(csv);
        if (m.rows().isEmpty()) {
            return written;
        }
        Path dir = Files.createDirectories(runDir.resolve(RunLayout.PLOTS));
        XYChart losses = Charts.chart("Losses per epoch (bars: +-1 sd over iterations)", "epoch", "loss");
        Charts.line(losses, "D loss", m.series("d_loss"), errorBars(m, "d_loss_sd"));
        Charts.line(losses, "G loss", m.series("g_loss"), errorBars(m, "g_loss_sd"));
        Charts.save(losses, dir.resolve("losses.png"));
        written.add("losses.png");
        XYChart d = Charts.chart("Discriminator outputs", "epoch", "mean probability of real");
        Charts.line(d, "D(x)", m.series("d_real"), null);
        Charts.line(d, "D(G(z))", m.series("d_fake"), null);
        Charts.save(d, dir.resolve("discriminator.png"));
        written.add("discriminator.png");
        XYChart speed = Charts.chart("Speed", "epoch", "images / s");
        Charts.line(speed, "images/s", m.series("images_per_s"), null);
        Charts.save(speed, dir.resolve("speed.png"));
        written.add("speed.png");
        for (Map.Entry<String, String> q : Map.of("classifier_score", "Classifier score",
                "frechet_distance", "Frechet distance", "label_accuracy", "Label accuracy").entrySet()) {
            if (m.has(q.getKey()) && m.series(q.getKey())[0].length > 0) {
                XYChart chart = Charts.chart(q.getValue() + " (gan train --eval-every)", "epoch", q.getValue());
                Charts.line(chart, q.getValue(), m.series(q.getKey()), null);
                Charts.save(chart, dir.resolve(q.getKey() + ".png"));
                written.add(q.getKey() + ".png");
            }
        }
        return written;
    }

    /** Small HTML helpers shared by the run and experiment pages. */
    static final class Html {
        private Html() {
        }

        static StringBuilder page(String title) {
            return new StringBuilder("""
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                    <style>
                    body{font-family:sans-serif;margin:2em;color:#222} table{border-collapse:collapse;margin:.5em 0}
                    th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;font-size:90%%} th{background:#f3f3f3}
                    .plots img{width:480px;margin:4px} .film{display:flex;flex-wrap:wrap;gap:8px}
                    .film img{width:200px;image-rendering:pixelated} figure{margin:0} figcaption{font-size:80%%;text-align:center}
                    .small{font-size:85%%;color:#555} .warning{background:#fff3cd;border:1px solid #e0b000;padding:.5em} th.sortable{cursor:pointer}
                    </style>
                    <script>
                    // Tells a headless browser (and the tests) whether every image loaded: the title gets a marker.
                    window.addEventListener('load', function () {
                      var broken = Array.prototype.filter.call(document.images,
                          function (i) { return !i.complete || i.naturalWidth === 0; }).length;
                      document.title = (broken === 0 ? 'IMAGES-OK ' : 'IMAGES-BROKEN ' + broken + ' ') + document.title;
                    });
                    </script>
                    </head><body>
                    """.formatted(escape(title)));
        }

        static String end(StringBuilder html) {
            return html.append("</body></html>\n").toString();
        }

        static String keyValues(JsonNode node) {
            StringBuilder t = new StringBuilder("<table>");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String value = e.getValue().isNumber() ? number(e.getValue().asDouble()) : e.getValue().isValueNode()
                        ? e.getValue().asText() : e.getValue().toString();
                t.append("<tr><th>").append(escape(e.getKey())).append("</th><td>").append(escape(value)).append("</td></tr>");
            }
            return t.append("</table>\n").toString();
        }

        static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
        }

        static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }

    /** A loss's spread per epoch for its error bars; none for rows from before the column (an older run resumed). */
    private static double[] errorBars(MetricsTable m, String column) {
        return m.has(column) ? java.util.Arrays.stream(m.column(column)).map(v -> Double.isNaN(v) ? 0 : v).toArray()
                : null;
    }
}
