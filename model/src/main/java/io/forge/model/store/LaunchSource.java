package io.forge.model.store;

import io.forge.model.Usage;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The predictor's view of history for a launch, without opening the database: the {@link
 * PredictorSnapshot} plus the analysis's runs settled in the {@link Spool} since the snapshot
 * was written. Together they hold exactly what the database would say.
 */
public final class LaunchSource implements Predictor.Source {

  private final PredictorSnapshot snapshot;
  private final Spool spool;

  private LaunchSource(PredictorSnapshot snapshot, Spool spool) {
    this.snapshot = snapshot;
    this.spool = spool;
  }

  /** The source of a Forge home; empty when it has no snapshot yet (open the database once). */
  public static Optional<LaunchSource> load(Path home) {
    return PredictorSnapshot.read(PredictorSnapshot.file(home))
        .map(s -> new LaunchSource(s, new Spool(home)));
  }

  /**
   * The source of a Forge home, or one over an empty snapshot when there is none yet (no model,
   * no history but the spool): for callers that must not open the database, such as the agent.
   */
  public static LaunchSource loadOrEmpty(Path home) {
    return load(home).orElseGet(() -> new LaunchSource(
        new PredictorSnapshot(Optional.empty(), java.util.Map.of()), new Spool(home)));
  }

  @Override
  public Predictor.Earlier earlierRuns(String analysisId) {
    Predictor.Earlier base =
        snapshot.analyses().getOrDefault(analysisId, Predictor.Earlier.none());
    List<Spool.Entry> pending = new ArrayList<>();
    for (Spool.Entry e : spool.entriesOf(analysisId, new ArrayList<>())) {
      if (e.settlement() != null && e.settlement().outcome().measuredInFull()
          && e.settlement().actual() != null) {
        pending.add(e);
      }
    }
    if (pending.isEmpty()) {
      return base;
    }
    pending.sort(Comparator.comparing(e -> e.settlement().settledAt()));
    PriorRuns summary = base.summary();
    List<Usage> recent = new ArrayList<>(base.recentOldestFirst());
    for (Spool.Entry e : pending) {
      summary = summary.plus(e.settlement().actual());
      recent.add(e.settlement().actual());
    }
    int from = Math.max(0, recent.size() - ColdStart.HISTORY_WINDOW);
    return new Predictor.Earlier(List.copyOf(recent.subList(from, recent.size())), summary);
  }

  @Override
  public Optional<TrainedModel> latestModel() {
    return snapshot.model();
  }
}
