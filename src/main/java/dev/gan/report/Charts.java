package dev.gan.report;

import dev.gan.util.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;

/** Line charts as PNG, written atomically. */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(640).height(360).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    static void line(XYChart chart, String name, double[][] xy, double[] errors) {
        if (xy[0].length == 0) {
            return;
        }
        XYSeries series = errors == null ? chart.addSeries(name, xy[0], xy[1]) : chart.addSeries(name, xy[0], xy[1], errors);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }

    static void save(XYChart chart, Path target) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(target, out -> out.write(png));
    }
}
