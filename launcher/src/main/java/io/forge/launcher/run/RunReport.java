package io.forge.launcher.run;

import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.measure.Measurement;
import io.forge.launcher.policy.Limits;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.predict.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one wrapped run did (DESIGN.md "JSON report").
 *
 * @param runId the row's run id
 * @param analysisId analysis
 * @param runtime runtime as named
 * @param inputsMb input sizes
 * @param prediction the prediction
 * @param mode sizing mode
 * @param limits limits applied
 * @param mechanism enforcement mechanism
 * @param actual measured usage (null when nothing ran)
 * @param sources which counters produced {@code actual}
 * @param outcome how it ended
 * @param exitCode the exit code forge-launch returns
 */
public record RunReport(
    String runId,
    String analysisId,
    String runtime,
    List<Double> inputsMb,
    Prediction prediction,
    String mode,
    Limits limits,
    String mechanism,
    Usage actual,
    Map<String, String> sources,
    Outcome outcome,
    int exitCode) {

  /**
   * The report of a planned run.
   *
   * @param measurement what it used, null when it never ran
   */
  public static RunReport of(JobPlanner.Plan plan, JobSpec spec, Mechanism mechanism,
      Measurement measurement, Outcome outcome, int exitCode) {
    return new RunReport(plan.runId(), plan.job().analysisId(), plan.job().runtimeName(),
        spec.job().inputSizesMb(), plan.prediction(), plan.mode().cliName(),
        plan.limits(), mechanism.cliName(),
        measurement == null ? null : measurement.usage(),
        measurement == null ? Map.of() : measurement.sources(), outcome, exitCode);
  }

  /** The report as JSON. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("run_id", runId);
    j.put("analysis_id", analysisId);
    j.put("runtime", runtime);
    j.put("inputs_mb", inputsMb);
    j.put("prediction", prediction.toJson());
    j.put("mode", mode);
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("memory_limit_mb", limits.memoryLimitMb());
    l.put("timeout_seconds", limits.timeoutSeconds());
    l.put("mechanism", mechanism);
    l.put("source", limits.source());
    l.put("bound_by_request", limits.boundByRequest());
    j.put("limits", l);
    if (actual != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("cpu_seconds", round(actual.cpuSeconds()));
      a.put("peak_rss_mb", round(actual.peakRssMb()));
      a.put("wall_seconds", round(actual.wallSeconds()));
      a.put("sources", sources);
      j.put("actual", a);
    } else {
      j.put("actual", null);
    }
    j.put("outcome", outcome.dbName());
    j.put("exit_code", exitCode);
    return j;
  }

  /** The one summary line printed on stderr at the end of a run. */
  public String summaryLine() {
    StringBuilder s = new StringBuilder("forge: ").append(analysisId).append(' ');
    // Plain concatenation: String.format would load locale data on every launch.
    if (actual == null && outcome != Outcome.REJECTED) {
      s.append("unmeasured (ended before its first poll) · pred rss ")
          .append(Math.round(prediction.peakRssMb())).append(" MB");
    } else if (actual != null) {
      s.append("cpu ").append(seconds(actual.cpuSeconds()))
          .append(" (pred ").append(seconds(prediction.cpuSeconds())).append(')')
          .append(" · rss ").append(Math.round(actual.peakRssMb()))
          .append(" MB (pred ").append(Math.round(prediction.peakRssMb())).append(')')
          .append(" · wall ").append(seconds(actual.wallSeconds()))
          .append(" (pred ").append(seconds(prediction.wallSeconds())).append(')');
    } else {
      s.append("pred rss ").append(Math.round(prediction.peakRssMb())).append(" MB");
    }
    s.append(" · cap ")
        .append(limits.memoryLimitMb() == null ? "none"
            : Math.round(limits.memoryLimitMb()) + " MB")
        .append(limits.boundByRequest() ? " (your limit)" : "")
        .append(" via ").append(mechanism)
        .append(" · ").append(mode)
        .append(" · ").append(outcome.dbName());
    return s.toString();
  }

  /** {@code 0.25s} below ten seconds, {@code 42s} above. */
  public static String seconds(double s) {
    if (s >= 10) {
      return Math.round(s) + "s";
    }
    long hundredths = Math.round(s * 100);
    long frac = hundredths % 100;
    return hundredths / 100 + "." + (frac < 10 ? "0" : "") + frac + "s";
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
