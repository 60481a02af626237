package io.forge.model.history;

import io.forge.model.Outcome;
import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.features.ScriptFeatures;
import io.forge.model.predict.Prediction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code resource_prediction}.
 *
 * @param id database id
 * @param runId recorder-chosen unique id
 * @param analysisId analysis
 * @param runtime canonical runtime
 * @param prediction the prediction, null when the run had none (imports)
 * @param actual measured usage, null until settled or when nothing was measured
 * @param predictedAt when it was predicted
 * @param settledAt when it was settled, null while running
 * @param mode sizing mode
 * @param memoryLimitMb cap applied, null when none
 * @param timeoutSeconds timeout applied, null when none
 * @param mechanism enforcement mechanism
 * @param exitCode exit code, null when it never ran or is still running
 * @param outcome how it ended
 * @param inputCount number of inputs
 * @param inputTotalMb their total size
 * @param inputMaxMb the largest
 * @param script the stored script features
 * @param command command line (may be null)
 * @param source who recorded it
 * @param label grouping label (may be null)
 */
public record RunRecord(
    long id,
    String runId,
    String analysisId,
    String runtime,
    Prediction prediction,
    Usage actual,
    Instant predictedAt,
    Instant settledAt,
    String mode,
    Double memoryLimitMb,
    Double timeoutSeconds,
    String mechanism,
    Integer exitCode,
    Outcome outcome,
    int inputCount,
    double inputTotalMb,
    double inputMaxMb,
    ScriptFeatures script,
    String command,
    String source,
    String label) {

  /** A row read back through {@link RunColumns}, with its database id. */
  public static RunRecord of(long id, RunColumns.Row row) {
    NewRun r = row.run();
    Settlement s = row.settlement();
    return new RunRecord(id, r.runId(), r.analysisId(), r.features().runtime(), r.prediction(),
        s == null ? null : s.actual(), r.predictedAt(), s == null ? null : s.settledAt(),
        r.mode(), r.memoryLimitMb(), r.timeoutSeconds(), r.mechanism(),
        s == null ? null : s.exitCode(), s == null ? Outcome.RUNNING : s.outcome(),
        r.features().inputCount(), r.features().inputTotalMb(), r.features().inputMaxMb(),
        r.features().script(), r.command(), r.source(), r.label());
  }

  /**
   * The row as JSON: keys are the {@code resource_prediction} column names (DESIGN.md {@code
   * history --json}).
   */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", id);
    j.put("run_id", runId);
    j.put("analysis_id", analysisId);
    j.put("runtime", runtime);
    for (Target t : Target.values()) {
      int i = t.ordinal();
      j.put(RunColumns.PREDICTED[i], prediction == null ? null : prediction.get(t));
      j.put(RunColumns.LOW[i], prediction == null ? null : prediction.interval(t).low());
      j.put(RunColumns.HIGH[i], prediction == null ? null : prediction.interval(t).high());
    }
    j.put("confidence", prediction == null ? null : prediction.confidence());
    j.put("basis", prediction == null ? null : prediction.basis().jsonName());
    for (Target t : Target.values()) {
      j.put(RunColumns.ACTUAL[t.ordinal()], actual == null ? null : actual.get(t));
    }
    j.put("model_version", prediction == null ? null : prediction.modelVersion());
    j.put("predicted_at", predictedAt.toString());
    j.put("settled_at", settledAt == null ? null : settledAt.toString());
    j.put("mode", mode);
    j.put("memory_limit_mb", memoryLimitMb);
    j.put("timeout_s", timeoutSeconds);
    j.put("mechanism", mechanism);
    j.put("exit_code", exitCode);
    j.put("outcome", outcome.dbName());
    j.put("input_count", inputCount);
    j.put("input_total_mb", inputTotalMb);
    j.put("input_max_mb", inputMaxMb);
    j.put("command", command);
    j.put("source", source);
    j.put("label", label);
    return j;
  }
}
