package io.forge.launcher.web;

import io.forge.model.Outcome;
import io.forge.model.Target;
import io.forge.model.history.RunRecord;
import io.forge.model.predict.Basis;
import io.forge.model.predict.ModelInfo;
import io.forge.model.stats.StatsReport;
import io.forge.model.stats.TargetAccuracy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The {@code /forge/resource-predictor} page: one self-contained HTML document (inline CSS and
 * SVG, no script, nothing fetched from elsewhere) drawn from the same {@link StatsReport} the
 * stats endpoint serves, so the two cannot disagree.
 */
final class DashboardPage {

  /** Rows in the recent-runs table. */
  static final int RECENT_ROWS = 25;

  private DashboardPage() {}

  static String render(StatsReport stats) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Forge · resource predictor</title><style>").append(CSS)
        .append("</style></head><body>");
    h.append("<header><h1>Forge · resource predictor</h1><p class=\"sub\">Predicted against"
        + " actual usage over the last ").append(stats.window()).append(" settled runs</p>");
    model(h, stats);
    h.append("</header>");
    if (stats.settled().isEmpty()) {
      h.append("<section id=\"empty-state\" class=\"empty\"><h2>No settled runs yet</h2>")
          .append("<p>Wrap a job — <code>forge-launch -- python3 analysis.py data.csv</code> —"
              + " and its prediction and measured usage appear here once it ends.</p>")
          .append("</section>");
    } else {
      h.append("<section class=\"charts\">");
      for (Target t : Target.values()) {
        chart(h, t, stats);
      }
      h.append("</section>");
      legend(h, stats.settled());
      recent(h, stats.settled());
    }
    return h.append("</body></html>").toString();
  }

  private static void model(StringBuilder h, StatsReport stats) {
    h.append("<dl id=\"model\" class=\"model\">");
    if (stats.model().isPresent()) {
      ModelInfo m = stats.model().get();
      h.append(term("model", "v" + m.version(), "model-version"));
      h.append(term("trained", m.trainedAt().toString(), "model-trained-at"));
      h.append(term("training rows", Integer.toString(m.rowCount()), "model-rows"));
    } else {
      h.append(term("model", "none yet (predictions come from each analysis's history or a"
          + " prior)", "model-version"));
    }
    h.append(term("measured runs", Integer.toString(stats.measuredRuns()), "measured-runs"));
    h.append(term("next retrain", (stats.retrain().train() ? "due: " : "not due: ")
        + stats.retrain().reason(), "retrain"));
    h.append("</dl>");
  }

  private static String term(String name, String value, String id) {
    return "<div><dt>" + Html.escape(name) + "</dt><dd id=\"" + id + "\">" + Html.escape(value)
        + "</dd></div>";
  }

  private static void chart(StringBuilder h, Target t, StatsReport stats) {
    TargetAccuracy a = stats.accuracy().get(t);
    h.append("<figure class=\"chart\" id=\"chart-").append(t.jsonName()).append("\">")
        .append("<figcaption><h2>").append(Html.escape(Scatter.unitLabel(t)))
        .append("</h2><p class=\"scope\">the model, on the runs it predicted</p>")
        .append("<dl class=\"figures\">")
        .append(figure("R²", a.r2(), "r2", t))
        .append(figure("R² (log)", a.r2Log(), "r2_log", t))
        .append(figure("interval coverage", a.intervalCoverage(), "interval_coverage", t))
        .append("<div><dt>runs</dt><dd class=\"runs\">").append(a.runs()).append(" scored / ")
        .append(stats.settledOn(Basis.MODEL)).append(" drawn</dd></div>")
        .append("</dl>");
    for (Basis b : new Basis[] {Basis.HISTORY, Basis.PRIOR}) {
      long drawn = stats.settledOn(b);
      if (drawn > 0) {
        TargetAccuracy o = stats.byBasis().get(b).get(t);
        h.append("<p class=\"other-basis\" data-basis=\"").append(b.jsonName())
            .append("\">without the model, from ")
            .append(b == Basis.HISTORY ? "each analysis's history" : "a prior").append(": ")
            .append(drawn).append(drawn == 1 ? " run" : " runs")
            .append(" drawn faint, R² (log) ")
            .append(Double.isFinite(o.r2Log())
                ? String.format(Locale.ROOT, "%.3f", o.r2Log()) : "n/a")
            .append(" over the ").append(o.runs()).append(" completed</p>");
      }
    }
    h.append("</figcaption>")
        .append(Scatter.svg(t, stats.settled()))
        .append("</figure>");
  }

  /**
   * One figure with its exact value in {@code data-value} (what the stats endpoint returns,
   * rounded the same way) and three decimals as text.
   */
  private static String figure(String name, double value, String key, Target t) {
    double rounded = Double.isFinite(value) ? Math.round(value * 10000.0) / 10000.0 : value;
    // Shown from the same rounded figure the endpoint serves, so page and API never differ.
    String shown = Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", rounded) : "n/a";
    return "<div><dt>" + Html.escape(name) + "</dt><dd class=\"metric\" data-target=\""
        + t.jsonName() + "\" data-metric=\"" + key + "\" data-value=\""
        + (Double.isFinite(value) ? Double.toString(rounded) : "null") + "\">" + shown
        + "</dd></div>";
  }

  private static void legend(StringBuilder h, List<RunRecord> runs) {
    TreeSet<String> runtimes = new TreeSet<>();
    TreeSet<Outcome> outcomes = new TreeSet<>();
    for (RunRecord r : runs) {
      runtimes.add(r.runtime());
      outcomes.add(r.outcome());
    }
    h.append("<section class=\"legend\"><span>fill = runtime:</span>");
    for (String rt : runtimes) {
      h.append("<span class=\"key\"><i style=\"background:")
          .append(Scatter.RUNTIME_COLOURS.getOrDefault(rt, "#999999")).append("\"></i>")
          .append(Html.escape(rt)).append("</span>");
    }
    h.append("<span>ring = outcome:</span>");
    for (Outcome o : outcomes) {
      h.append("<span class=\"key\"><i class=\"ring\" style=\"border-color:")
          .append(Scatter.OUTCOME_COLOURS.getOrDefault(o, "#000")).append("\"></i>")
          .append(o.dbName()).append("</span>");
    }
    if (runs.stream().anyMatch(r -> r.prediction().basis() != Basis.MODEL)) {
      h.append("<span class=\"key\"><i class=\"faint\"></i>faint = predicted without the"
          + " model (history or prior)</span>");
    }
    h.append("<span class=\"note\">the line is y = x; points below it used less than predicted."
        + " R² counts runs that ran to completion; capped and timed-out runs are drawn at their"
        + " lower bounds.</span></section>");
  }

  private static void recent(StringBuilder h, List<RunRecord> settled) {
    List<RunRecord> newest = new ArrayList<>(settled);
    Collections.reverse(newest);
    h.append("<section><h2>Recent runs</h2><table id=\"recent\"><thead><tr>")
        .append("<th>settled</th><th>analysis</th><th>runtime</th><th>predicted RSS</th>")
        .append("<th>actual RSS</th><th>predicted wall</th><th>actual wall</th>")
        .append("<th>cap</th><th>mechanism</th><th>mode</th><th>outcome</th></tr></thead><tbody>");
    for (RunRecord r : newest.subList(0, Math.min(RECENT_ROWS, newest.size()))) {
      h.append("<tr><td>").append(r.settledAt().toString(), 0, 19).append("</td><td>")
          .append(Html.escape(r.analysisId())).append("</td><td>")
          .append(Html.escape(r.runtime())).append("</td>")
          .append(cell(r.prediction().peakRssMb(), " MB"))
          .append(cell(r.actual().peakRssMb(), " MB"))
          .append(cell(r.prediction().wallSeconds(), " s"))
          .append(cell(r.actual().wallSeconds(), " s"))
          .append("<td>").append(r.memoryLimitMb() == null ? "none"
              : Math.round(r.memoryLimitMb()) + " MB").append("</td><td>")
          .append(Html.escape(r.mechanism())).append("</td><td>")
          .append(Html.escape(r.mode())).append("</td><td class=\"outcome ")
          .append(r.outcome().dbName()).append("\">").append(r.outcome().dbName())
          .append("</td></tr>");
    }
    h.append("</tbody></table></section>");
  }

  private static String cell(double v, String unit) {
    return "<td class=\"num\">" + Scatter.value(v) + unit + "</td>";
  }

  private static final String CSS =
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;"
          + "color:#1f2328;background:#fff}h1{margin:0;font-size:22px}h2{font-size:16px;"
          + "margin:0 0 6px}.sub{color:#59636e;margin:2px 0 12px}.model{display:flex;"
          + "flex-wrap:wrap;gap:8px 28px;margin:0 0 18px}.model div{display:flex;gap:6px}"
          + "dt{color:#59636e}dd{margin:0;font-weight:600}.charts{display:flex;flex-wrap:wrap;"
          + "gap:18px}.chart{margin:0;border:1px solid #d1d9e0;border-radius:8px;padding:12px}"
          + ".figures{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0 0 6px}.figures div"
          + "{display:flex;gap:4px}.grid{stroke:#eef1f4}.axis{stroke:#59636e}.identity"
          + "{stroke:#8c959f;stroke-dasharray:5 4}svg text{font-size:11px;fill:#59636e}"
          + ".point{fill-opacity:.8}.point.without-model{fill-opacity:.15;stroke-opacity:.5}"
          + ".key i.faint{background:#0072B2;opacity:.2}.scope,.other-basis{margin:0 0 4px;"
          + "color:#59636e}.legend{display:flex;flex-wrap:wrap;gap:6px 14px;"
          + "margin:14px 0;align-items:center}.key{display:inline-flex;gap:5px;"
          + "align-items:center}.key i{width:11px;height:11px;border-radius:50%;"
          + "display:inline-block}.key i.ring{border:2.5px solid;width:7px;height:7px}"
          + ".note{color:#59636e}table{border-collapse:collapse;width:100%}th,td{padding:4px 8px;"
          + "border-bottom:1px solid #eef1f4;text-align:left}td.num{text-align:right}"
          + ".outcome.oom_killed{color:#cf222e}.outcome.timed_out{color:#bc4c00}"
          + ".outcome.failed{color:#6e7781}.empty{border:1px dashed #d1d9e0;border-radius:8px;"
          + "padding:24px;max-width:640px}code{background:#f6f8fa;padding:1px 4px;"
          + "border-radius:4px}";
}
