package io.forge.model.snapshot;

import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import io.forge.model.spool.Spool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The predictor's view of history for a launch, without opening the database: the {@link
 * PredictorSnapshot} plus the analysis's runs settled in the {@link Spool} since the snapshot
 * was written. Together they hold exactly what the database would say.
 */
public final class LaunchSource implements Predictor.Source {

  private final PredictorSnapshot snapshot;
  private final Spool spool;
  /**
   * Settled spool entries already read, by file name: a settled file never changes, so a
   * long-lived process (the agent, the server) reads each one once.
   */
  private final Map<String, Spool.Settled> settledCache = new ConcurrentHashMap<>();

  /** How long a long-lived process reuses an analysis's spool view before rescanning. */
  public static final Duration LONG_LIVED_RESCAN = Duration.ofSeconds(1);

  private final Duration rescan;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long atNanos, Predictor.Earlier earlier) {}

  /** Oldest settlement first. (A class rather than a lambda: this runs in every launch.) */
  private static final Comparator<Spool.Settled> BY_SETTLEMENT = new Comparator<>() {
    @Override
    public int compare(Spool.Settled a, Spool.Settled b) {
      return a.settledAt().compareTo(b.settledAt());
    }
  };

  /**
   * Runs this process settled itself since the snapshot, per analysis: known without reading
   * the spool, so the next prediction sees them at once.
   */
  private final Map<String, List<Spool.Settled>> own = new ConcurrentHashMap<>();

  private LaunchSource(PredictorSnapshot snapshot, Spool spool, Duration rescan) {
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
    Optional<PredictorSnapshot> snapshot = PredictorSnapshot.read(PredictorSnapshot.file(home));
    return snapshot.isEmpty() ? Optional.empty()
        : Optional.of(new LaunchSource(snapshot.get(), new Spool(home), Duration.ZERO));
  }

  /**
   * The source of a Forge home, or one over an empty snapshot when there is none yet (no model,
   * no history but the spool): for callers that must not open the database, such as the agent.
   */
  public static LaunchSource loadOrEmpty(Path home) {
    Optional<LaunchSource> loaded = load(home);
    return loaded.isPresent() ? loaded.get() : new LaunchSource(new PredictorSnapshot(
        Optional.empty(), Map.of(), new PeakCalibration()), new Spool(home), Duration.ZERO);
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
    Spool.Settled counted = Spool.Settled.of(run, settlement);
    if (counted.informs()) {
      // Not on a launch's path (a launch records into the spool alone): a lambda is fine here.
      own.computeIfAbsent(run.analysisId(), k -> new CopyOnWriteArrayList<>()).add(counted);
      cache.remove(run.analysisId());
    }
  }

  private Predictor.Earlier scan(String analysisId) {
    Predictor.Earlier base =
        snapshot.analyses().getOrDefault(analysisId, Predictor.Earlier.none());
    List<Spool.Settled> pending = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Spool.Settled e : spool.settledOf(analysisId, settledCache)) {
      if (e.informs()) {
        pending.add(e);
        seen.add(e.runId());
      }
    }
    for (Spool.Settled e : own.getOrDefault(analysisId, List.of())) {
      if (seen.add(e.runId())) {
        pending.add(e);
      }
    }
    if (pending.isEmpty()) {
      return base;
    }
    pending.sort(BY_SETTLEMENT);
    Predictor.Earlier earlier = base;
    for (Spool.Settled e : pending) {
      earlier = e.actual() == null ? earlier.killedAt(e.killedAtMb())
          : earlier.plus(e.actual(), ColdStart.HISTORY_WINDOW);
    }
    return earlier;
  }

  @Override
  public Optional<TrainedModel> latestModel() {
    return snapshot.model();
  }

  @Override
  public PeakCalibration calibration() {
    return snapshot.calibration();
  }
}
