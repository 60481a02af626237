package io.forge.launcher.eval;

import io.forge.launcher.policy.SizingPolicy;
import io.forge.model.Target;
import io.forge.model.history.RunRecord;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.TrainedModel;
import io.forge.model.stats.Accuracy;
import io.forge.model.stats.TargetAccuracy;
import io.forge.model.train.Trainer;
import io.forge.model.train.TrainingRow;
import io.forge.model.train.TrainingSets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code forge-launch evaluate}: replays the history in time order, each run predicted by a
 * model that saw only runs before it (retrained every {@code retrainEvery} runs, as the retrain
 * policy would), and scores both the predictions and what sizing from them would have done,
 * against baselines on exactly the same runs. Sizing uses the launcher's {@link SizingPolicy}.
 *
 * <ul>
 *   <li>{@code replay}: every run after a warm-up of max(30, 10 %) runs;
 *   <li>{@code paper}: the setup of the workflow memory-sizing literature — only analyses with
 *       at least 34 runs and no zero runtime; the first 30 % of each analysis's runs (in trace
 *       order) are warm-up, the rest are predicted online in order; input size = {@code rchar}
 *       (what {@code import} stores); target = peak RSS.
 * </ul>
 */
public final class Evaluation {

  /** Minimum runs of an analysis under the paper protocol. */
  public static final int PAPER_MIN_RUNS = 34;

  /** Warm-up share of each analysis under the paper protocol. */
  public static final double PAPER_WARMUP = 0.30;

  /**
   * Settings.
   *
   * @param protocol {@code replay} or {@code paper}
   * @param retrainEvery runs between retrains
   * @param staticMb the static cap baseline, MB
   * @param margins Forge margins to report the wastage/failure trade-off for
   * @param trainer boosting settings
   */
  public record Settings(String protocol, int retrainEvery, double staticMb,
      List<Double> margins, Trainer.Settings trainer) {

    /** Validates the settings. */
    public Settings {
      if (!protocol.equals("replay") && !protocol.equals("paper")) {
        throw new IllegalArgumentException("protocol must be replay or paper, got " + protocol);
      }
      if (retrainEvery < 1 || !(staticMb > 0) || margins.isEmpty()) {
        throw new IllegalArgumentException("retrain-every and static-mb must be positive");
      }
      margins = List.copyOf(margins);
    }
  }

  /** Coarse progress for a terminal. */
  @FunctionalInterface
  public interface Progress {
    /** After each run or retrain. */
    void at(int done, int total, String what);
  }

  /** Per-group accumulators. */
  private static final class Group {
    final List<Accuracy.Pair> pairs = new ArrayList<>();
    final Map<String, SizingOutcome> sizing = new LinkedHashMap<>();
    final Map<Double, SizingOutcome> margins = new TreeMap<>();
    boolean hasRequested = true;

    SizingOutcome policy(String name) {
      return sizing.computeIfAbsent(name, k -> new SizingOutcome());
    }
  }

  private Evaluation() {}

  /** Runs the evaluation over measured runs (any order) and returns the JSON report. */
  public static Map<String, Object> run(List<RunRecord> runs, Settings s, Progress progress,
      java.time.Clock clock) {
    List<RunRecord> ordered = new ArrayList<>(runs);
    ordered.sort(Comparator.comparing(RunRecord::predictedAt).thenComparing(RunRecord::id));
    boolean[] evaluate = new boolean[ordered.size()];
    if (s.protocol().equals("paper")) {
      ordered = paperSelection(ordered);
      evaluate = paperEvaluated(ordered);
    } else {
      int warmup = Math.max(Trainer.MIN_ROWS, ordered.size() / 10);
      evaluate = new boolean[ordered.size()];
      for (int i = warmup; i < ordered.size(); i++) {
        evaluate[i] = true;
      }
    }
    List<TrainingRow> rows = TrainingSets.fromRuns(ordered);
    // fromRuns returns rows in prediction-time order, as `ordered` is.
    Trainer trainer = new Trainer(s.trainer(), clock);
    Baselines baselines = new Baselines(s.staticMb());
    SizingPolicy spec = new SizingPolicy();
    Group overall = new Group();
    Map<String, Group> groups = new TreeMap<>();
    TrainedModel model = null;
    int trainedOn = 0;
    int retrains = 0;
    int evaluated = 0;
    List<TrainingRow> seen = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      RunRecord run = ordered.get(i);
      TrainingRow row = rows.get(i);
      if (evaluate[i] && seen.size() >= Trainer.MIN_ROWS
          && (model == null || seen.size() - trainedOn >= s.retrainEvery())) {
        progress.at(i, ordered.size(), "training on " + seen.size() + " runs");
        model = trainer.train(seen, Trainer.Progress.none());
        trainedOn = seen.size();
        retrains++;
      }
      if (evaluate[i] && model != null) {
        Prediction p = model.predict(row.features());
        String key = run.label() != null ? run.label() : run.runtime();
        Group g = groups.computeIfAbsent(key, k -> new Group());
        double peak = run.actual().peakRssMb();
        double wall = run.actual().wallSeconds();
        for (Group target : List.of(overall, g)) {
          target.pairs.add(new Accuracy.Pair(p, run.actual()));
          // Forge's cap as the launcher sets it (1.5 × predicted, history floor), the spec's
          // bare 1.5 × rule, and the upper end of the calibrated 95 % interval.
          double priorMax = row.features().prior().max().peakRssMb();
          target.policy("forge").charge(spec.memoryCapMb(p.peakRssMb(), priorMax), peak, wall);
          target.policy("forge_spec").charge(spec.memoryCapMb(p.peakRssMb()), peak, wall);
          target.policy("forge_interval").charge(p.rssInterval().high(), peak, wall);
          if (run.memoryLimitMb() != null) {
            target.policy("requested").charge(run.memoryLimitMb(), peak, wall);
          } else {
            target.hasRequested = false;
          }
          target.policy("static").charge(s.staticMb(), peak, wall);
          target.policy("max_history").charge(baselines.maxHistory(run.analysisId()), peak,
              wall);
          target.policy("witt_lr").charge(
              baselines.wittLr(run.analysisId(), run.inputTotalMb()), peak, wall);
          for (double m : s.margins()) {
            target.margins.computeIfAbsent(m, k -> new SizingOutcome())
                .charge(new SizingPolicy(m).memoryCapMb(p.peakRssMb(), priorMax), peak, wall);
          }
        }
        evaluated++;
      }
      baselines.observe(run.analysisId(), run.inputTotalMb(), run.actual().peakRssMb());
      seen.add(row);
      if (i % 500 == 0) {
        progress.at(i, ordered.size(), "replaying");
      }
    }
    progress.at(ordered.size(), ordered.size(), "done");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("protocol", s.protocol());
    report.put("runs_evaluated", evaluated);
    report.put("runs_total", ordered.size());
    report.put("retrains", retrains);
    report.put("retrain_every", s.retrainEvery());
    report.put("static_mb", s.staticMb());
    report.put("overall", json(overall));
    Map<String, Object> byGroup = new LinkedHashMap<>();
    groups.forEach((k, g) -> byGroup.put(k, json(g)));
    report.put("groups", byGroup);
    return report;
  }

  private static Map<String, Object> json(Group g) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("runs", g.pairs.size());
    Map<String, Object> targets = new LinkedHashMap<>();
    Map<Target, TargetAccuracy> acc = Accuracy.of(g.pairs);
    for (Target t : Target.values()) {
      Map<String, Object> a = acc.get(t).toJson();
      a.remove("runs");
      targets.put(t.jsonName(), a);
    }
    j.put("targets", targets);
    Map<String, Object> sizing = new LinkedHashMap<>();
    g.sizing.forEach((name, outcome) -> {
      if (!name.equals("requested") || g.hasRequested) {
        sizing.put(name, outcome.toJson());
      }
    });
    j.put("sizing", sizing);
    Map<String, Object> ratios = new LinkedHashMap<>();
    SizingOutcome forge = g.sizing.get("forge");
    g.sizing.forEach((name, outcome) -> {
      if (!name.equals("forge") && sizing.containsKey(name) && outcome.wastageGbh() > 0) {
        ratios.put(name, Math.round(forge.wastageGbh() / outcome.wastageGbh() * 1000) / 1000.0);
      }
    });
    j.put("forge_wastage_ratio", ratios);
    List<Object> margins = new ArrayList<>();
    g.margins.forEach((m, outcome) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("margin", m);
      row.putAll(outcome.toJson());
      margins.add(row);
    });
    j.put("margins", margins);
    return j;
  }

  /** Analyses with enough runs and no zero runtime, in time order. */
  static List<RunRecord> paperSelection(List<RunRecord> ordered) {
    Map<String, List<RunRecord>> byAnalysis = new HashMap<>();
    for (RunRecord r : ordered) {
      byAnalysis.computeIfAbsent(r.analysisId(), k -> new ArrayList<>()).add(r);
    }
    List<RunRecord> kept = new ArrayList<>();
    for (RunRecord r : ordered) {
      List<RunRecord> same = byAnalysis.get(r.analysisId());
      if (same.size() >= PAPER_MIN_RUNS
          && same.stream().allMatch(x -> x.actual().wallSeconds() > 0)) {
        kept.add(r);
      }
    }
    return kept;
  }

  /** Under the paper protocol: all but the first 30 % of each analysis's runs. */
  static boolean[] paperEvaluated(List<RunRecord> ordered) {
    Map<String, Integer> total = new HashMap<>();
    for (RunRecord r : ordered) {
      total.merge(r.analysisId(), 1, Integer::sum);
    }
    Map<String, Integer> seen = new HashMap<>();
    boolean[] evaluate = new boolean[ordered.size()];
    for (int i = 0; i < ordered.size(); i++) {
      String a = ordered.get(i).analysisId();
      int k = seen.merge(a, 1, Integer::sum);
      evaluate[i] = k > Math.ceil(PAPER_WARMUP * total.get(a));
    }
    return evaluate;
  }
}
