package io.forge.model.stats;

import io.forge.model.Target;
import io.forge.model.predict.ModelInfo;
import io.forge.model.train.RetrainPolicy;
import io.forge.model.store.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures {@code forge-launch stats} prints and the dashboard draws.
 *
 * @param window the N of "the last N settled runs"
 * @param settled those runs, oldest first (all outcomes with actuals; the dashboard's points)
 * @param accuracy per-target accuracy over those of them that ran to completion
 * @param measuredRuns all measured runs in the history (training rows)
 * @param outcomes run counts per outcome over the whole history
 * @param model the current model, if any
 * @param retrain what the retrain policy would decide now
 */
public record StatsReport(
    int window,
    List<RunRecord> settled,
    Map<Target, TargetAccuracy> accuracy,
    int measuredRuns,
    Map<String, Integer> outcomes,
    Optional<ModelInfo> model,
    RetrainPolicy.Decision retrain) {

  /** Copies the maps. */
  public StatsReport {
    settled = List.copyOf(settled);
    accuracy = Map.copyOf(accuracy);
    outcomes = Map.copyOf(outcomes);
  }

  /** Number of runs the accuracy figures cover. */
  public int runsEvaluated() {
    return accuracy.get(Target.PEAK_RSS_MB).runs();
  }

  /** The JSON documented in the README under {@code stats --json}. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("window", window);
    j.put("runs_settled", settled.size());
    j.put("runs_evaluated", runsEvaluated());
    Map<String, Object> targets = new LinkedHashMap<>();
    for (Target t : Target.values()) {
      targets.put(t.jsonName(), accuracy.get(t).toJson());
    }
    j.put("targets", targets);
    j.put("measured_runs", measuredRuns);
    j.put("outcomes", new java.util.TreeMap<>(outcomes));
    Map<String, Object> m = new LinkedHashMap<>();
    model.ifPresent(
        info -> {
          m.put("version", info.version());
          m.put("trained_at", info.trainedAt().toString());
          m.put("row_count", info.rowCount());
          m.put("layout_version", info.layoutVersion());
          m.put("holdout", info.holdout());
        });
    j.put("model", model.isPresent() ? m : null);
    j.put("retrain_due", retrain.train());
    j.put("retrain_reason", retrain.reason());
    List<Object> points = new ArrayList<>();
    for (RunRecord r : settled) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("run_id", r.runId());
      p.put("analysis_id", r.analysisId());
      p.put("runtime", r.runtime());
      p.put("outcome", r.outcome().dbName());
      for (Target t : Target.values()) {
        p.put("predicted_" + t.jsonName(), r.prediction().get(t));
        p.put("actual_" + t.jsonName(), r.actual().get(t));
      }
      points.add(p);
    }
    j.put("points", points);
    return j;
  }
}
