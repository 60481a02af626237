package io.forge.model.snapshot;

import io.forge.model.Usage;
import io.forge.model.features.PriorRuns;
import io.forge.model.history.NewRun;
import io.forge.model.history.RecorderIdentity;
import io.forge.model.history.Settlement;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import io.forge.model.spool.Spool;
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
  /**
   * Settled spool entries already parsed, by file: a settled file never changes, so a
   * long-lived process (the agent, the server) parses each one once.
   */
  private final java.util.Map<Path, Spool.Entry> settledCache =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How long a long-lived process reuses an analysis's spool view before rescanning. */
  public static final java.time.Duration LONG_LIVED_RESCAN = java.time.Duration.ofSeconds(1);

  private final java.time.Duration rescan;
  private final java.util.Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

  private record Cached(long atNanos, Predictor.Earlier earlier) {}

  /**
   * Runs this process settled itself since the snapshot, per analysis: known without reading
   * the spool, so the next prediction sees them at once.
   */
  private final java.util.Map<String, List<Spool.Entry>> own =
      new java.util.concurrent.ConcurrentHashMap<>();

  private LaunchSource(PredictorSnapshot snapshot, Spool spool, java.time.Duration rescan) {
    this.snapshot = snapshot;
    this.spool = spool;
    this.rescan = rescan;
  }

  /**
   * The same source for a long-lived process: an analysis's spooled runs are rescanned at most
   * every {@link #LONG_LIVED_RESCAN} (a predicting loop must not list a growing spool on every
   * call), and the runs the process settles itself are {@linkplain #remember remembered} at
   * once.
   */
  public LaunchSource longLived() {
    return new LaunchSource(snapshot, spool, LONG_LIVED_RESCAN);
  }

  /** The source of a Forge home; empty when it has no snapshot yet (open the database once). */
  public static Optional<LaunchSource> load(Path home) {
    return PredictorSnapshot.read(PredictorSnapshot.file(home))
        .map(s -> new LaunchSource(s, new Spool(home), java.time.Duration.ZERO));
  }

  /**
   * The source of a Forge home, or one over an empty snapshot when there is none yet (no model,
   * no history but the spool): for callers that must not open the database, such as the agent.
   */
  public static LaunchSource loadOrEmpty(Path home) {
    return load(home).orElseGet(() -> new LaunchSource(
        new PredictorSnapshot(Optional.empty(), java.util.Map.of()), new Spool(home),
        java.time.Duration.ZERO));
  }

  @Override
  public Predictor.Earlier earlierRuns(String analysisId) {
    if (rescan.isZero()) {
      return scan(analysisId);
    }
    long now = System.nanoTime();
    Cached c = cache.get(analysisId);
    if (c != null && now - c.atNanos() < rescan.toNanos()) {
      return c.earlier();
    }
    Predictor.Earlier fresh = scan(analysisId);
    cache.put(analysisId, new Cached(now, fresh));
    return fresh;
  }

  /**
   * A run this process has just settled in the spool: the next prediction for its analysis
   * counts it without waiting for the next rescan (a host starting jobs one after another
   * predicts each from the ones before it).
   */
  public void remember(NewRun run, Settlement settlement) {
    if (settlement.outcome().measuredInFull() && settlement.actual() != null) {
      own.computeIfAbsent(run.analysisId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(new Spool.Entry(run, settlement, RecorderIdentity.current(), null));
      cache.remove(run.analysisId());
    }
  }

  private Predictor.Earlier scan(String analysisId) {
    Predictor.Earlier base =
        snapshot.analyses().getOrDefault(analysisId, Predictor.Earlier.none());
    List<Spool.Entry> pending = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Spool.Entry e : spool.entriesOf(analysisId, settledCache)) {
      if (e.settlement() != null && e.settlement().outcome().measuredInFull()
          && e.settlement().actual() != null) {
        pending.add(e);
        seen.add(e.run().runId());
      }
    }
    for (Spool.Entry e : own.getOrDefault(analysisId, List.of())) {
      if (seen.add(e.run().runId())) {
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
