package io.forge.model.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Usage;
import io.forge.model.db.HistoryStore;
import io.forge.model.db.ModelRepository;
import io.forge.model.db.StoreLocation;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import io.forge.model.history.TestRuns;
import io.forge.model.predict.Basis;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchSourceTest {

  @TempDir Path home;

  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00.123Z");

  @Test
  void theLaunchSourceSeesTheSnapshotPlusRunsSettledSinceInTheSpool() {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    NewRun old = TestRuns.newRun("x.py", "", 1, T0);
    store.record(old);
    store.settle(old.runId(), TestRuns.ok(new Usage(1, 100, 1), T0.plusSeconds(1)));
    PredictorSnapshot.build(store, new ModelRepository(store.database()), 10)
        .write(PredictorSnapshot.file(home));

    Spool spool = new Spool(home);
    NewRun recent = TestRuns.newRun("x.py", "", 1, T0.plusSeconds(5));
    spool.record(recent);
    spool.settle(recent, TestRuns.ok(new Usage(3, 300, 3), T0.plusSeconds(6)));
    NewRun other = TestRuns.newRun("y.py", "", 1, T0.plusSeconds(5));
    spool.record(other);
    spool.settle(other, TestRuns.ok(new Usage(9, 900, 9), T0.plusSeconds(6)));

    LaunchSource source = LaunchSource.load(home).orElseThrow();
    Predictor.Earlier x = source.earlierRuns("x.py");
    assertEquals(2, x.summary().count());
    assertEquals(200.0, x.summary().mean().peakRssMb(), 1e-9);
    assertEquals(300.0, x.summary().last().peakRssMb());
    assertEquals(2, x.recentOldestFirst().size());
    assertEquals(1, source.earlierRuns("y.py").summary().count());
    assertEquals(0, source.earlierRuns("never.py").summary().count());
    assertTrue(source.latestModel().isEmpty());

    Predictor predictor = new Predictor(source, java.time.Clock.systemUTC());
    assertEquals(Basis.HISTORY,
        predictor.predict("x.py", "", "python3", new double[] {1}).basis());
  }

  /**
   * Regression: a long-lived process (the agent) rescans the spool once a second, so a host
   * starting jobs one after another predicted each without the ones it had just settled.
   */
  @Test
  void aLongLivedSourceCountsTheRunsItsProcessSettledAtOnceAndEachOnlyOnce() {
    Spool spool = new Spool(home);
    LaunchSource source = LaunchSource.loadOrEmpty(home).longLived();
    assertEquals(0, source.earlierRuns("x.py").summary().count(), "scanned: nothing yet");
    NewRun first = TestRuns.newRun("x.py", "", 1, T0);
    spool.record(first);
    Settlement done = TestRuns.ok(new Usage(1, 100, 1), T0.plusSeconds(1));
    spool.settle(first, done);
    assertEquals(0, source.earlierRuns("x.py").summary().count(),
        "another process's settlement waits for the next rescan");
    source.remember(first, done);
    assertEquals(1, source.earlierRuns("x.py").summary().count(), "its own is counted at once");
    assertEquals(1, LaunchSource.loadOrEmpty(home).longLived().earlierRuns("x.py").summary()
        .count(), "a fresh source finds it in the spool");
    LaunchSource both = LaunchSource.loadOrEmpty(home).longLived();
    both.remember(first, done);
    assertEquals(1, both.earlierRuns("x.py").summary().count(), "in the spool and remembered:"
        + " counted once");
  }

  @Test
  void aMissingOrCorruptSnapshotReadsAsAbsent() throws Exception {
    assertTrue(LaunchSource.load(home).isEmpty());
    Files.createDirectories(home);
    Files.writeString(PredictorSnapshot.file(home), "not a snapshot");
    assertEquals(Optional.empty(), PredictorSnapshot.read(PredictorSnapshot.file(home)));
    assertEquals(Optional.empty(), PredictorSnapshot.modelVersion(PredictorSnapshot.file(home)));
    PredictorSnapshot empty = new PredictorSnapshot(Optional.empty(), Map.of(),
        new PeakCalibration());
    empty.write(PredictorSnapshot.file(home));
    assertFalse(PredictorSnapshot.read(PredictorSnapshot.file(home)).isEmpty());
    assertEquals(Optional.of(Optional.empty()),
        PredictorSnapshot.modelVersion(PredictorSnapshot.file(home)), "no model inside");
  }
}
