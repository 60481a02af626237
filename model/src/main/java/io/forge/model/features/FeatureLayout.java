package io.forge.model.features;

import io.forge.model.Runtimes;
import io.forge.model.ScriptText;
import io.forge.model.Target;
import io.forge.model.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fixed, named feature vector. Its {@link #VERSION} is stored with every trained model; a
 * model whose layout differs from the running code's is not used (the store reports it and the
 * next training replaces it).
 *
 * <p>Since version 2 a model predicts, for a job whose analysis has earlier runs, the log-ratio
 * of each target to its <em>anchor</em> — the log of the analysis's mean so far ({@link
 * #anchorLog}) — and the log figure itself for one without: anchored on every run the analysis
 * settles, its predictions follow an analysis to magnitudes no training row had, where trees
 * alone cannot extrapolate.
 *
 * <p>Layout version 2, in order:
 *
 * <ol>
 *   <li>{@code runtime_<name>} — one-hot over {@link Runtimes#KNOWN} (8)
 *   <li>{@code lib_<name>} — token count per heavy library in {@link Libraries#NAMES} (21)
 *   <li>{@code script_bytes_log} — ln(1 + script bytes)
 *   <li>{@code script_lines} — non-blank code lines
 *   <li>{@code script_scanned} — 1 when the text was scanned, 0 when only its size was known
 *       (absent, empty, binary, non-UTF-8 or larger than 10 MB: the degraded feature set)
 *   <li>{@code parallel_hints}, {@code declared_workers}
 *   <li>{@code input_count}, {@code input_total_mb_log}, {@code input_max_mb_log} — ln(1 + MB)
 *   <li>{@code prior_count}
 *   <li>{@code prior_mean_*_log}, {@code prior_max_*_log}, {@code prior_last_*_log} for cpu,
 *       rss and wall — natural log of the figure (floored per {@link Target#floor()}), or
 *       {@link #NO_PRIOR} when the analysis has no earlier run
 * </ol>
 */
public final class FeatureLayout {

  /** Version of this layout; bump it whenever {@link #NAMES} or an encoding changes. */
  public static final int VERSION = 2;

  /** Value of the prior-run log features when there is no prior run (below any real log). */
  public static final double NO_PRIOR = -20.0;

  /** Feature names, in vector order. */
  public static final List<String> NAMES;

  static {
    List<String> names = new ArrayList<>();
    for (String r : Runtimes.KNOWN) {
      names.add("runtime_" + r);
    }
    for (String lib : Libraries.NAMES) {
      names.add("lib_" + lib);
    }
    names.addAll(
        List.of(
            "script_bytes_log", "script_lines", "script_scanned", "parallel_hints",
            "declared_workers", "input_count", "input_total_mb_log", "input_max_mb_log",
            "prior_count"));
    for (String stat : List.of("mean", "max", "last")) {
      for (String t : List.of("cpu", "rss", "wall")) {
        names.add("prior_" + stat + "_" + t + "_log");
      }
    }
    NAMES = Collections.unmodifiableList(names);
  }

  private FeatureLayout() {}

  /** Number of features. */
  public static int size() {
    return NAMES.size();
  }

  /** The layout as one comma-separated string (stored with each model). */
  public static String describe() {
    return "v" + VERSION + ":" + String.join(",", NAMES);
  }

  /** The log a model's prediction of target {@code t} is relative to: 0 with no earlier run. */
  public static double anchorLog(Features f, Target t) {
    PriorRuns p = f.prior();
    return p.count() == 0 ? 0 : t.toLog(p.mean().get(t));
  }

  /** Encodes features as a vector in {@link #NAMES} order. */
  public static double[] vector(Features f) {
    double[] v = new double[NAMES.size()];
    int i = 0;
    for (String r : Runtimes.KNOWN) {
      v[i++] = r.equals(f.runtime()) ? 1 : 0;
    }
    ScriptFeatures s = f.script();
    for (String lib : Libraries.NAMES) {
      v[i++] = s.tokens(lib);
    }
    v[i++] = Math.log1p(s.scriptBytes());
    v[i++] = s.scriptLines();
    v[i++] = s.status() == ScriptText.Status.OK ? 1 : 0;
    v[i++] = s.parallelHints();
    v[i++] = s.declaredWorkers();
    v[i++] = f.inputCount();
    v[i++] = Math.log1p(f.inputTotalMb());
    v[i++] = Math.log1p(f.inputMaxMb());
    PriorRuns p = f.prior();
    v[i++] = p.count();
    for (Usage u : List.of(p.mean(), p.max(), p.last())) {
      for (Target t : Target.values()) {
        v[i++] = p.count() == 0 ? NO_PRIOR : t.toLog(u.get(t));
      }
    }
    if (i != v.length) {
      throw new IllegalStateException("feature layout and encoder disagree: " + i);
    }
    return v;
  }
}
