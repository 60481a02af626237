package io.forge.model.train;

import io.forge.model.Runtimes;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.history.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored runs into training rows. Each row's prior-run features are rebuilt from the
 * runs of the same analysis that had settled <em>before it was predicted</em>, so the model
 * trains on exactly what a prediction at that moment could have known (no leakage from the
 * future or from the run itself).
 */
public final class TrainingSets {

  private TrainingSets() {}

  /**
   * Training rows of runs known one after another, in the given order: each row's prior runs
   * are all the runs of its analysis before it in the list (the sequential setup of the
   * workflow memory-sizing literature, where each run's actual is known before the next).
   */
  public static List<TrainingRow> sequential(List<RunRecord> ordered) {
    Map<String, PriorRuns> prior = new HashMap<>();
    List<TrainingRow> rows = new ArrayList<>(ordered.size());
    for (RunRecord r : ordered) {
      PriorRuns p = prior.getOrDefault(r.analysisId(), PriorRuns.none());
      rows.add(new TrainingRow(features(r, p), r.actual()));
      prior.put(r.analysisId(), p.plus(r.actual()));
    }
    return rows;
  }

  /** Training rows from measured runs (any order), in prediction-time order. */
  public static List<TrainingRow> fromRuns(List<RunRecord> runs) {
    List<RunRecord> byPredicted = new ArrayList<>(runs);
    byPredicted.sort(Comparator.comparing(RunRecord::predictedAt).thenComparing(RunRecord::id));
    Map<String, List<RunRecord>> settledOrder = new HashMap<>();
    for (RunRecord r : runs) {
      settledOrder.computeIfAbsent(r.analysisId(), k -> new ArrayList<>()).add(r);
    }
    settledOrder.values().forEach(
        l -> l.sort(Comparator.comparing(TrainingSets::settledAt).thenComparing(RunRecord::id)));
    Map<String, Integer> cursor = new HashMap<>();
    Map<String, PriorRuns> prior = new HashMap<>();
    List<TrainingRow> rows = new ArrayList<>(runs.size());
    for (RunRecord r : byPredicted) {
      List<RunRecord> same = settledOrder.get(r.analysisId());
      int k = cursor.getOrDefault(r.analysisId(), 0);
      PriorRuns p = prior.getOrDefault(r.analysisId(), PriorRuns.none());
      while (k < same.size()
          && same.get(k) != r
          && !settledAt(same.get(k)).isAfter(r.predictedAt())) {
        p = p.plus(same.get(k).actual());
        k++;
      }
      cursor.put(r.analysisId(), k);
      prior.put(r.analysisId(), p);
      rows.add(new TrainingRow(features(r, p), r.actual()));
    }
    return rows;
  }

  /** The features a stored run had at prediction time, given its prior runs. */
  public static Features features(RunRecord r, PriorRuns prior) {
    return new Features(
        Runtimes.canonical(r.runtime()),
        r.script(),
        r.inputCount(),
        r.inputTotalMb(),
        r.inputMaxMb(),
        prior);
  }

  private static Instant settledAt(RunRecord r) {
    return r.settledAt() == null ? Instant.MAX : r.settledAt();
  }
}
