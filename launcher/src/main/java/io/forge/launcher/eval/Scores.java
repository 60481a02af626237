package io.forge.launcher.eval;

import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.predict.Prediction;
import io.forge.model.stats.Accuracy;
import io.forge.model.stats.TargetAccuracy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores of one group of evaluated runs (all, one label): prediction accuracy, each policy's
 * sizing outcome, Forge's trade-off at several target failure rates and, for a label, the same per
 * analysis, so that a loss can be traced to the processes that caused it.
 */
final class Scores {

  private final List<Accuracy.Pair> pairs = new ArrayList<>();
  private final Map<String, SizingOutcome> sizing = new LinkedHashMap<>();
  private final Map<Double, SizingOutcome> tradeOff = new TreeMap<>();
  private final Map<String, Scores> analyses;
  private boolean everyRunRequested = true;

  private Scores(boolean perAnalysis) {
    this.analyses = perAnalysis ? new TreeMap<>() : null;
  }

  /** Scores without a per-analysis breakdown. */
  static Scores flat() {
    return new Scores(false);
  }

  /** Scores with a per-analysis breakdown. */
  static Scores byAnalysis() {
    return new Scores(true);
  }

  /** Records one evaluated run: its prediction and the cap each policy gave it. */
  void add(String analysis, Prediction p, Usage actual, Map<String, Double> caps,
      Map<Double, Double> targetCaps) {
    pairs.add(new Accuracy.Pair(p, actual));
    charge(caps, targetCaps, actual);
    if (analyses != null) {
      analyses.computeIfAbsent(analysis, k -> flat()).add(analysis, p, actual, caps, Map.of());
    }
  }

  private void charge(Map<String, Double> caps, Map<Double, Double> targetCaps, Usage actual) {
    if (!caps.containsKey("requested")) {
      everyRunRequested = false;
    }
    caps.forEach((policy, cap) -> sizing.computeIfAbsent(policy, k -> new SizingOutcome())
        .charge(cap, actual.peakRssMb(), actual.wallSeconds()));
    targetCaps.forEach((target, cap) -> tradeOff.computeIfAbsent(target,
        k -> new SizingOutcome()).charge(cap, actual.peakRssMb(), actual.wallSeconds()));
  }

  /** The runs scored. */
  int runs() {
    return pairs.size();
  }

  /** The group as DESIGN.md's GROUP object. */
  Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("runs", pairs.size());
    Map<String, Object> targets = new LinkedHashMap<>();
    Map<Target, TargetAccuracy> acc = Accuracy.of(pairs);
    for (Target t : Target.values()) {
      Map<String, Object> a = acc.get(t).toJson();
      a.remove("runs");
      targets.put(t.jsonName(), a);
    }
    j.put("targets", targets);
    j.put("sizing", sizingJson());
    Map<String, Object> ratios = new LinkedHashMap<>();
    SizingOutcome forge = sizing.get("forge");
    sizing.forEach((name, outcome) -> {
      if (!name.equals("forge") && supported(name) && outcome.wastageGbh() > 0) {
        ratios.put(name, Math.round(forge.wastageGbh() / outcome.wastageGbh() * 1000) / 1000.0);
      }
    });
    j.put("forge_wastage_ratio", ratios);
    List<Object> trade = new ArrayList<>();
    tradeOff.forEach((m, outcome) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("target", m);
      row.putAll(outcome.toJson());
      trade.add(row);
    });
    j.put("failure_targets", trade);
    if (analyses != null) {
      Map<String, Object> each = new LinkedHashMap<>();
      analyses.forEach((id, s) -> {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("runs", s.runs());
        a.put("sizing", s.sizingJson());
        each.put(id, a);
      });
      j.put("analyses", each);
    }
    return j;
  }

  private Map<String, Object> sizingJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    sizing.forEach((name, outcome) -> {
      if (supported(name)) {
        j.put(name, outcome.toJson());
      }
    });
    return j;
  }

  /** A baseline the data cannot support (a request on only some runs) is omitted. */
  private boolean supported(String policy) {
    return !policy.equals("requested") || everyRunRequested;
  }
}
