package io.forge.launcher.web;

import io.forge.model.Outcome;
import io.forge.model.Target;
import io.forge.model.history.RunRecord;
import io.forge.model.predict.Basis;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A server-rendered SVG scatter of predicted (x) against actual (y) on log–log axes, with the
 * y = x line. Fill colour is the runtime, the ring the outcome, a faint point a run predicted
 * without the model; each point's {@code <title>} names the analysis (a tooltip in every
 * browser, no script needed).
 */
final class Scatter {

  static final int WIDTH = 420;
  static final int HEIGHT = 360;
  private static final int LEFT = 58;
  private static final int RIGHT = 14;
  private static final int TOP = 14;
  private static final int BOTTOM = 46;

  /** Fill per runtime (colour-blind-safe Okabe–Ito palette). */
  static final Map<String, String> RUNTIME_COLOURS = Map.of(
      "python", "#0072B2", "r", "#009E73", "shell", "#E69F00", "jvm", "#CC79A7",
      "perl", "#56B4E9", "nextflow", "#D55E00", "snakemake", "#F0E442", "other", "#999999");

  /** Ring per outcome. */
  static final Map<Outcome, String> OUTCOME_COLOURS = Map.of(
      Outcome.OK, "#1a7f37", Outcome.FAILED, "#6e7781", Outcome.OOM_KILLED, "#cf222e",
      Outcome.TIMED_OUT, "#bc4c00");

  private Scatter() {}

  static String svg(Target target, List<RunRecord> runs) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (RunRecord r : runs) {
      for (double v : new double[] {r.prediction().get(target), r.actual().get(target)}) {
        double f = Math.max(v, target.floor());
        lo = Math.min(lo, f);
        hi = Math.max(hi, f);
      }
    }
    if (runs.isEmpty()) {
      lo = target.floor();
      hi = target.floor() * 1000;
    }
    double logLo = Math.floor(Math.log10(lo));
    double logHi = Math.ceil(Math.log10(hi));
    if (logHi <= logLo) {
      logHi = logLo + 1;
    }
    StringBuilder s = new StringBuilder(8192);
    s.append("<svg class=\"scatter\" data-target=\"").append(target.jsonName())
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"predicted versus actual ")
        .append(target.jsonName()).append("\">");
    // Axes, decade grid and labels.
    for (double d = logLo; d <= logHi; d++) {
      double x = x(d, logLo, logHi);
      double y = y(d, logLo, logHi);
      s.append(line(x, TOP, x, HEIGHT - BOTTOM, "grid"));
      s.append(line(LEFT, y, WIDTH - RIGHT, y, "grid"));
      String label = tick(d);
      s.append(text(x, HEIGHT - BOTTOM + 16, "middle", label));
      s.append(text(LEFT - 6, y + 4, "end", label));
    }
    s.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "axis"));
    s.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "axis"));
    s.append("<line class=\"identity\" x1=\"").append(fmt(x(logLo, logLo, logHi)))
        .append("\" y1=\"").append(fmt(y(logLo, logLo, logHi))).append("\" x2=\"")
        .append(fmt(x(logHi, logLo, logHi))).append("\" y2=\"")
        .append(fmt(y(logHi, logLo, logHi))).append("\"><title>y = x</title></line>");
    s.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 8, "middle",
        "predicted " + unitLabel(target)));
    s.append("<text class=\"axis-label\" transform=\"translate(14,")
        .append(fmt((TOP + HEIGHT - BOTTOM) / 2.0))
        .append(") rotate(-90)\" text-anchor=\"middle\">actual ")
        .append(Html.escape(unitLabel(target))).append("</text>");
    for (RunRecord r : runs) {
      double px = Math.log10(Math.max(r.prediction().get(target), target.floor()));
      double py = Math.log10(Math.max(r.actual().get(target), target.floor()));
      boolean byModel = r.prediction().basis() == Basis.MODEL;
      s.append("<circle class=\"point").append(byModel ? "" : " without-model")
          .append("\" data-basis=\"").append(r.prediction().basis().jsonName())
          .append("\" data-outcome=\"").append(r.outcome().dbName())
          .append("\" data-runtime=\"").append(Html.escape(r.runtime()))
          .append("\" cx=\"").append(fmt(x(px, logLo, logHi)))
          .append("\" cy=\"").append(fmt(y(py, logLo, logHi)))
          .append("\" r=\"4.5\" fill=\"")
          .append(RUNTIME_COLOURS.getOrDefault(r.runtime(), "#999999"))
          .append("\" stroke=\"").append(OUTCOME_COLOURS.getOrDefault(r.outcome(), "#000"))
          .append("\" stroke-width=\"").append(r.outcome() == Outcome.OK ? "1" : "2.5")
          .append("\"><title>").append(Html.escape(r.analysisId())).append(" (")
          .append(Html.escape(r.runtime())).append(", ").append(r.outcome().dbName())
          .append(")&#10;predicted ").append(value(r.prediction().get(target)))
          .append(" · actual ").append(value(r.actual().get(target)))
          .append("</title></circle>");
    }
    return s.append("</svg>").toString();
  }

  private static double x(double log, double lo, double hi) {
    return LEFT + (log - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
  }

  private static double y(double log, double lo, double hi) {
    return HEIGHT - BOTTOM - (log - lo) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
  }

  private static String line(double x1, double y1, double x2, double y2, String cls) {
    return "<line class=\"" + cls + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\""
        + fmt(x2) + "\" y2=\"" + fmt(y2) + "\"/>";
  }

  private static String text(double x, double y, String anchor, String content) {
    return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">"
        + Html.escape(content) + "</text>";
  }

  private static String tick(double decade) {
    double v = Math.pow(10, decade);
    if (v >= 1_000_000) {
      return (long) (v / 1_000_000) + "M";
    }
    if (v >= 1000) {
      return (long) (v / 1000) + "k";
    }
    return v >= 1 ? Long.toString((long) v) : String.valueOf(v);
  }

  static String unitLabel(Target t) {
    return switch (t) {
      case CPU_SECONDS -> "CPU (s)";
      case PEAK_RSS_MB -> "peak RSS (MB)";
      case WALL_SECONDS -> "wall (s)";
    };
  }

  static String value(double v) {
    return v >= 100 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
