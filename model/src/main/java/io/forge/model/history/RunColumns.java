package io.forge.model.history;

import io.forge.model.Outcome;
import io.forge.model.Runtimes;
import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.Basis;
import io.forge.model.predict.Interval;
import io.forge.model.predict.Prediction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between a run — as recorded ({@link NewRun}), as it ended ({@link
 * Settlement}) and who recorded it ({@link RecorderIdentity}) — and the columns of {@code
 * resource_prediction}. The database binds these values; the spool writes them as text under
 * the same names. Values are {@code String}, {@code Double}, {@code Integer}, {@code Long} or
 * {@code Instant}, or null where absent.
 */
public final class RunColumns {

  /** Every column a run fills, in table order ({@code id} is the database's own). */
  public static final List<String> NAMES = List.of(
      "run_id", "analysis_id", "runtime",
      "predicted_cpu_s", "predicted_rss_mb", "predicted_wall_s",
      "predicted_cpu_low_s", "predicted_cpu_high_s", "predicted_rss_low_mb",
      "predicted_rss_high_mb", "predicted_wall_low_s", "predicted_wall_high_s",
      "confidence", "basis", "model_version", "predicted_at", "mode", "memory_limit_mb",
      "timeout_s", "mechanism", "outcome", "input_count", "input_total_mb", "input_max_mb",
      "script_features", "command", "host", "recorder_pid", "recorder_started_ms", "source",
      "label", "import_key", "actual_cpu_s", "actual_rss_mb", "actual_wall_s", "settled_at",
      "exit_code");

  // Per target, in Target order (declared before TYPES, which reads them).
  static final String[] PREDICTED = {"predicted_cpu_s", "predicted_rss_mb",
      "predicted_wall_s"};
  static final String[] LOW = {"predicted_cpu_low_s", "predicted_rss_low_mb",
      "predicted_wall_low_s"};
  static final String[] HIGH = {"predicted_cpu_high_s", "predicted_rss_high_mb",
      "predicted_wall_high_s"};
  static final String[] ACTUAL = {"actual_cpu_s", "actual_rss_mb", "actual_wall_s"};

  /** The columns a settlement fills (the rest are written when the run is recorded). */
  public static final List<String> SETTLED = List.of("actual_cpu_s", "actual_rss_mb",
      "actual_wall_s", "settled_at", "outcome", "exit_code");

  /** The Java type of each column's values. */
  public static final Map<String, Class<?>> TYPES = types();


  private RunColumns() {}

  /** Typed access to stored values by column name (a result-set row, a spool file). */
  public interface Values {
    /** A text column, or null. */
    String text(String column);

    /** A floating-point column, or null. */
    Double number(String column);

    /** An integer column, or null. */
    Long integer(String column);

    /** A timestamp column, or null. */
    Instant instant(String column);
  }

  /**
   * A run read back.
   *
   * @param run the run as recorded
   * @param settlement how it ended, null while it runs
   * @param recorder who recorded it
   */
  public record Row(NewRun run, Settlement settlement, RecorderIdentity recorder) {}

  /** The column values of a run ({@code settlement} null while it runs). */
  public static Map<String, Object> of(NewRun run, Settlement settlement,
      RecorderIdentity recorder) {
    Map<String, Object> v = new LinkedHashMap<>(64);
    Features f = run.features();
    Prediction p = run.prediction();
    v.put("run_id", run.runId());
    v.put("analysis_id", run.analysisId());
    v.put("runtime", f.runtime());
    for (Target t : Target.values()) {
      int i = t.ordinal();
      v.put(PREDICTED[i], p == null ? null : p.get(t));
      v.put(LOW[i], p == null ? null : p.interval(t).low());
      v.put(HIGH[i], p == null ? null : p.interval(t).high());
    }
    v.put("confidence", p == null ? null : p.confidence());
    v.put("basis", p == null ? null : p.basis().jsonName());
    v.put("model_version", p == null ? null : p.modelVersion());
    v.put("predicted_at", run.predictedAt());
    v.put("mode", run.mode());
    v.put("memory_limit_mb", run.memoryLimitMb());
    v.put("timeout_s", run.timeoutSeconds());
    v.put("mechanism", run.mechanism());
    v.put("input_count", f.inputCount());
    v.put("input_total_mb", f.inputTotalMb());
    v.put("input_max_mb", f.inputMaxMb());
    v.put("script_features", ScriptFeaturesCodec.encode(f.script()));
    v.put("command", run.command());
    v.put("host", recorder.host());
    v.put("recorder_pid", recorder.pid());
    v.put("recorder_started_ms", recorder.startedMs());
    v.put("source", run.source());
    v.put("label", run.label());
    v.put("import_key", run.importKey());
    v.putAll(settlement(settlement));
    return v;
  }

  /** The values of the {@link #SETTLED} columns ({@code outcome running} for null). */
  public static Map<String, Object> settlement(Settlement settlement) {
    Map<String, Object> v = new LinkedHashMap<>(8);
    Usage a = settlement == null ? null : settlement.actual();
    for (Target t : Target.values()) {
      v.put(ACTUAL[t.ordinal()], a == null ? null : a.get(t));
    }
    v.put("settled_at", settlement == null ? null : settlement.settledAt());
    v.put("outcome", (settlement == null ? Outcome.RUNNING : settlement.outcome()).dbName());
    v.put("exit_code", settlement == null ? null : settlement.exitCode());
    return v;
  }

  /**
   * A run from its stored values.
   *
   * @throws RuntimeException when a required value is missing or malformed
   */
  public static Row read(Values v) {
    Features features = new Features(
        Runtimes.KNOWN.contains(v.text("runtime")) ? v.text("runtime") : "other",
        ScriptFeaturesCodec.decode(v.text("script_features")),
        orZero(v.integer("input_count")).intValue(), orZero(v.number("input_total_mb")),
        orZero(v.number("input_max_mb")), PriorRuns.none());
    NewRun run = new NewRun(v.text("run_id"), v.text("analysis_id"), features, prediction(v),
        v.text("mode"), v.number("memory_limit_mb"), v.number("timeout_s"),
        v.text("mechanism"), v.text("command"), v.text("source"), v.text("label"),
        v.text("import_key"), v.instant("predicted_at"));
    String ended = v.text("outcome");
    Outcome outcome = ended == null ? Outcome.RUNNING : Outcome.fromDb(ended);
    Settlement settlement = null;
    if (outcome != Outcome.RUNNING) {
      Long exit = v.integer("exit_code");
      settlement = new Settlement(usage(v, ACTUAL), outcome,
          exit == null ? null : exit.intValue(), v.instant("settled_at"));
    }
    String host = v.text("host");
    RecorderIdentity recorder = new RecorderIdentity(host == null ? "unknown" : host,
        orZero(v.integer("recorder_pid")), orZero(v.integer("recorder_started_ms")));
    return new Row(run, settlement, recorder);
  }

  private static Prediction prediction(Values v) {
    String basis = v.text("basis");
    Usage point = usage(v, PREDICTED);
    if (basis == null || point == null) {
      return null;
    }
    Long version = v.integer("model_version");
    return new Prediction(point.cpuSeconds(), point.peakRssMb(), point.wallSeconds(),
        orZero(v.number("confidence")), interval(v, 0), interval(v, 1), interval(v, 2),
        version == null ? null : version.intValue(), Basis.fromJson(basis));
  }

  private static Interval interval(Values v, int target) {
    return new Interval(orZero(v.number(LOW[target])), orZero(v.number(HIGH[target])));
  }

  private static Usage usage(Values v, String[] columns) {
    Double cpu = v.number(columns[0]);
    Double rss = v.number(columns[1]);
    Double wall = v.number(columns[2]);
    return cpu == null || rss == null || wall == null ? null : new Usage(cpu, rss, wall);
  }

  private static double orZero(Double d) {
    return d == null ? 0 : d;
  }

  private static Long orZero(Long l) {
    return l == null ? 0L : l;
  }

  private static Map<String, Class<?>> types() {
    Map<String, Class<?>> t = new LinkedHashMap<>();
    for (String name : NAMES) {
      t.put(name, String.class);
    }
    for (String[] group : new String[][] {PREDICTED, LOW, HIGH, ACTUAL}) {
      for (String name : group) {
        t.put(name, Double.class);
      }
    }
    for (String name : List.of("confidence", "memory_limit_mb", "timeout_s", "input_total_mb",
        "input_max_mb")) {
      t.put(name, Double.class);
    }
    for (String name : List.of("model_version", "input_count", "exit_code")) {
      t.put(name, Integer.class);
    }
    t.put("recorder_pid", Long.class);
    t.put("recorder_started_ms", Long.class);
    t.put("predicted_at", Instant.class);
    t.put("settled_at", Instant.class);
    return Map.copyOf(t);
  }
}
