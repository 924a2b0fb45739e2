package io.pinpipeline.toolkit.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.jobs.clean.Quarantine;
import io.pinpipeline.jobs.lake.Lake;
import io.pinpipeline.jobs.metrics.GoldTables;
import io.pinpipeline.jobs.records.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * {@code ./pipeline report --to DIR}: one self-contained HTML page ({@code DIR/report.html}, no network needed)
 * with a bar chart for each gold table and the data-quality counts: silver rows and quarantined rows by kind
 * and reason. Charts are drawn by Chart.js, inlined from its WebJar.
 */
public final class Report {
    public static final String FILE = "report.html";
    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    /** A table with more rows than this is a ranking: sorted by value, drawn as horizontal bars. */
    private static final int RANKING_ROWS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {
    }

    /** Writes the page; returns its path. Gold tables that do not exist yet are listed as missing. */
    public static Path write(Lake lake, Path dir, List<String> runCounts) {
        ObjectNode data = JSON.createObjectNode();
        ArrayNode charts = data.putArray("charts");
        for (String table : GoldTables.ALL) {
            ObjectNode chart = charts.addObject().put("table", table);
            if (lake.exists(table)) {
                describe(lake.read(table), chart);
            } else {
                chart.put("missing", true);
            }
        }
        ArrayNode quality = data.putArray("quality");
        for (RecordKind kind : RecordKind.values()) {
            ObjectNode row = quality.addObject().put("kind", kind.label())
                    .put("silver_rows", lake.exists(kind.silverTable()) ? lake.read(kind.silverTable()).count() : 0);
            ObjectNode reasons = row.putObject("quarantined");
            if (lake.exists(Quarantine.TABLE)) {
                for (Row reason : lake.read(Quarantine.TABLE).filter(col("kind").equalTo(kind.label()))
                        .groupBy("reason").agg(count(lit(1))).orderBy("reason").collectAsList()) {
                    reasons.put(reason.getString(0), reason.getLong(1));
                }
            }
        }
        ArrayNode run = data.putArray("run");
        runCounts.forEach(run::add);
        try {
            Files.createDirectories(dir);
            Path page = dir.resolve(FILE);
            Files.writeString(page, html(JSON.writeValueAsString(data).replace("</", "<\\/")), StandardCharsets.UTF_8);
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
    }

    /** Labels are the table's non-numeric (and year) columns joined; the value is its last numeric column. */
    static void describe(Dataset<Row> table, ObjectNode chart) {
        StructField[] fields = table.schema().fields();
        int valueIndex = fields.length - 1;
        String valueName = fields[valueIndex].name();
        List<Row> rows = table.collectAsList();
        boolean ranking = rows.size() > RANKING_ROWS;
        List<Row> ordered = rows.stream().sorted(ranking
                ? (a, b) -> Double.compare(number(b, valueIndex), number(a, valueIndex))
                : (a, b) -> label(a, valueIndex).compareTo(label(b, valueIndex))).toList();
        chart.put("value", valueName).put("ranking", ranking).put("rows", rows.size())
                .put("label", String.join(" · ", Arrays.stream(fields, 0, valueIndex).map(StructField::name).toList()));
        ArrayNode labels = chart.putArray("labels");
        ArrayNode values = chart.putArray("values");
        for (Row row : ordered) {
            labels.add(label(row, valueIndex));
            values.add(number(row, valueIndex));
        }
        if (!(fields[valueIndex].dataType() instanceof NumericType)) {
            throw new IllegalStateException("gold table's last column is not a number: " + valueName);
        }
    }

    private static String label(Row row, int valueIndex) {
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < valueIndex; i++) {
            label.append(i == 0 ? "" : " · ").append(row.isNullAt(i) ? "(none)" : row.get(i).toString());
        }
        return label.toString();
    }

    private static double number(Row row, int index) {
        return row.isNullAt(index) ? 0 : ((Number) row.get(index)).doubleValue();
    }

    private static String html(String data) throws IOException {
        String chartJs;
        try (InputStream in = Report.class.getResourceAsStream(CHART_JS)) {
            if (in == null) {
                throw new IOException("Chart.js is not on the classpath: " + CHART_JS);
            }
            chartJs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return TEMPLATE.replace("/*CHART_JS*/", chartJs).replace("/*DATA*/", data);
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Pinterest data pipeline: gold tables</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
              h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 2.2rem; font-family: monospace; }
              table { border-collapse: collapse; margin: 0.5rem 0; } td, th { border: 1px solid #ccc; padding: 0.3rem 0.6rem; }
              th { background: #f3f3f3; text-align: left; } .note { color: #666; font-size: 0.9rem; }
              .chart { position: relative; width: 100%; }
            </style>
            <script>/*CHART_JS*/</script>
            </head>
            <body>
            <h1>Pinterest data pipeline: gold tables</h1>
            <p class="note">Every chart is drawn from a gold Delta table; ties are kept, so a group may show more than one bar.</p>
            <section id="quality"><h2>data quality</h2><div id="quality-table"></div><ul id="run"></ul></section>
            <div id="charts"></div>
            <script id="report-data" type="application/json">/*DATA*/</script>
            <script>
            const data = JSON.parse(document.getElementById('report-data').textContent);
            const text = s => document.createTextNode(String(s));
            const quality = document.createElement('table');
            const head = quality.insertRow();
            ['kind', 'silver rows', 'quarantined (by reason)'].forEach(h => { const th = document.createElement('th'); th.appendChild(text(h)); head.appendChild(th); });
            data.quality.forEach(q => {
              const tr = quality.insertRow();
              tr.insertCell().appendChild(text(q.kind));
              tr.insertCell().appendChild(text(q.silver_rows));
              const reasons = Object.entries(q.quarantined).map(([r, n]) => r + ': ' + n).join('; ');
              tr.insertCell().appendChild(text(reasons || 'none'));
            });
            document.getElementById('quality-table').appendChild(quality);
            data.run.forEach(line => { const li = document.createElement('li'); li.appendChild(text(line)); document.getElementById('run').appendChild(li); });
            data.charts.forEach(c => {
              const section = document.createElement('section');
              section.id = 'table-' + c.table;
              const h = document.createElement('h2'); h.appendChild(text(c.table)); section.appendChild(h);
              document.getElementById('charts').appendChild(section);
              if (c.missing) { const p = document.createElement('p'); p.className = 'note'; p.appendChild(text('not computed yet')); section.appendChild(p); return; }
              const p = document.createElement('p'); p.className = 'note';
              p.appendChild(text(c.rows + ' rows; bars: ' + c.value + ' by ' + c.label + (c.ranking ? ', highest first' : '')));
              section.appendChild(p);
              const box = document.createElement('div'); box.className = 'chart';
              box.style.height = (c.ranking ? Math.max(300, 16 * c.labels.length) : 320) + 'px';
              const canvas = document.createElement('canvas'); canvas.id = 'chart-' + c.table; box.appendChild(canvas); section.appendChild(box);
              new Chart(canvas, {
                type: 'bar',
                data: { labels: c.labels, datasets: [{ label: c.value, data: c.values, backgroundColor: '#bd081c' }] },
                options: { indexAxis: c.ranking ? 'y' : 'x', maintainAspectRatio: false, animation: false,
                           plugins: { legend: { display: false } },
                           scales: { x: { ticks: { autoSkip: !c.ranking } }, y: { ticks: { autoSkip: false } } } }
              });
            });
            </script>
            </body>
            </html>
            """;
}
