package io.forge.model.stats;

import io.forge.model.Target;
import io.forge.model.history.RunRecord;
import io.forge.model.predict.Basis;
import io.forge.model.predict.ModelInfo;
import io.forge.model.train.RetrainPolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures {@code forge-launch stats} prints and the dashboard draws. The headline accuracy
 * is the model's: over the runs the trained model predicted. Runs predicted from an
 * analysis's own history or from a prior (before there was a model, or for analyses it had not
 * seen) are drawn and scored separately, so the headline means what it says.
 *
 * @param window the N of "the last N settled runs"
 * @param settled those runs, oldest first (all outcomes with actuals; the dashboard's points)
 * @param byBasis per basis, per-target accuracy over those of them that ran to completion
 * @param measuredRuns all measured runs in the history (training rows)
 * @param outcomes run counts per outcome over the whole history
 * @param model the current model, if any
 * @param retrain what the retrain policy would decide now
 */
public record StatsReport(
    int window,
    List<RunRecord> settled,
    Map<Basis, Map<Target, TargetAccuracy>> byBasis,
    int measuredRuns,
    Map<String, Integer> outcomes,
    Optional<ModelInfo> model,
    RetrainPolicy.Decision retrain) {

  /** Copies the lists and maps ({@link #of} gives every basis its figures). */
  public StatsReport {
    settled = List.copyOf(settled);
    byBasis = Map.copyOf(byBasis);
    outcomes = Map.copyOf(outcomes);
  }

  /**
   * The figures over the last N settled runs, each scored under the basis it was predicted on.
   */
  public static StatsReport of(int window, List<RunRecord> settled, int measuredRuns,
      Map<String, Integer> outcomes, Optional<ModelInfo> model, RetrainPolicy.Decision retrain) {
    Map<Basis, List<Accuracy.Pair>> pairs = new EnumMap<>(Basis.class);
    for (RunRecord r : settled) {
      if (r.outcome().measuredInFull()) {
        pairs.computeIfAbsent(r.prediction().basis(), b -> new ArrayList<>())
            .add(new Accuracy.Pair(r.prediction(), r.actual()));
      }
    }
    Map<Basis, Map<Target, TargetAccuracy>> byBasis = new EnumMap<>(Basis.class);
    for (Basis b : Basis.values()) {
      byBasis.put(b, Accuracy.of(pairs.getOrDefault(b, List.of())));
    }
    return new StatsReport(window, settled, byBasis, measuredRuns, outcomes, model, retrain);
  }

  /** The headline: the model's accuracy on the runs it predicted. */
  public Map<Target, TargetAccuracy> accuracy() {
    return byBasis.get(Basis.MODEL);
  }

  /** Number of runs the headline figures cover (model-predicted runs that ran to completion). */
  public int runsEvaluated() {
    return accuracy().get(Target.PEAK_RSS_MB).runs();
  }

  /** Settled runs (drawn) predicted on {@code basis}. */
  public long settledOn(Basis basis) {
    return settled.stream().filter(r -> r.prediction().basis() == basis).count();
  }

  /** The JSON documented in the README under {@code stats --json}. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("window", window);
    j.put("runs_settled", settled.size());
    j.put("runs_evaluated", runsEvaluated());
    j.put("targets", targetsJson(accuracy()));
    Map<String, Object> bases = new LinkedHashMap<>();
    for (Basis b : Basis.values()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("runs_settled", settledOn(b));
      g.put("runs_evaluated", byBasis.get(b).get(Target.PEAK_RSS_MB).runs());
      g.put("targets", targetsJson(byBasis.get(b)));
      bases.put(b.jsonName(), g);
    }
    j.put("by_basis", bases);
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
      p.put("basis", r.prediction().basis().jsonName());
      for (Target t : Target.values()) {
        p.put("predicted_" + t.jsonName(), r.prediction().get(t));
        p.put("actual_" + t.jsonName(), r.actual().get(t));
      }
      points.add(p);
    }
    j.put("points", points);
    return j;
  }

  private static Map<String, Object> targetsJson(Map<Target, TargetAccuracy> accuracy) {
    Map<String, Object> targets = new LinkedHashMap<>();
    for (Target t : Target.values()) {
      targets.put(t.jsonName(), accuracy.get(t).toJson());
    }
    return targets;
  }
}
