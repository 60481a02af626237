package io.forge.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.predict.Basis;
import io.forge.model.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path home;

  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00.123Z");

  @Test
  void aSpooledRunRoundTripsEveryFieldIncludingAwkwardText() {
    Spool spool = new Spool(home);
    NewRun base = TestRuns.newRun("weird = name: #1 ü", "import torch\n", 12.5, T0);
    NewRun run = new NewRun(base.runId(), base.analysisId(), base.features(), base.prediction(),
        "enforce", 300.0, 60.0, "cgroup-v1", "python3 -c \"print('a\\nb')\"\ttab \\ back",
        "launcher", "label", null, T0);
    spool.record(run);
    List<Spool.Entry> entries = spool.entries(new ArrayList<>());
    assertEquals(1, entries.size());
    Spool.Entry e = entries.get(0);
    assertEquals(run, e.run());
    assertNull(e.settlement());
    assertEquals(ProcessHandle.current().pid(), e.recorder().pid());

    Settlement s = new Settlement(new Usage(1.5, 200, 2.25), Outcome.OOM_KILLED, 137,
        T0.plusSeconds(3));
    spool.settle(run, s);
    List<Spool.Entry> again = spool.entries(new ArrayList<>());
    assertEquals(1, again.size(), "the settled entry replaces the running one");
    assertEquals(s, again.get(0).settlement());
  }

  @Test
  void ingestionMovesSettledRunsInAndKeepsRunningOnesUntilSettled() {
    Spool spool = new Spool(home);
    NewRun done = TestRuns.newRun("done.py", "", 1, T0);
    NewRun running = TestRuns.newRun("running.py", "", 1, T0);
    spool.record(done);
    spool.settle(done, TestRuns.ok(new Usage(1, 2, 3), T0.plusSeconds(1)));
    spool.record(running);

    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    HistoryStore.Ingestion first = store.ingest(spool, T0.plusSeconds(2));
    assertEquals(2, first.ingested());
    assertEquals(0, first.abandoned(), "its recorder (this JVM) is alive");
    assertEquals(1, spool.size(), "the running run stays spooled");
    assertEquals(Outcome.OK, store.find(done.runId()).orElseThrow().outcome());
    assertEquals(Outcome.RUNNING, store.find(running.runId()).orElseThrow().outcome());

    spool.settle(running, TestRuns.ok(new Usage(4, 5, 6), T0.plusSeconds(9)));
    store.ingest(spool, T0.plusSeconds(10));
    assertEquals(0, spool.size());
    RunRecord row = store.find(running.runId()).orElseThrow();
    assertEquals(Outcome.OK, row.outcome());
    assertEquals(new Usage(4, 5, 6), row.actual());
    assertEquals(2, store.history(10).size(), "ingesting twice inserts nothing twice");
  }

  @Test
  void aRunWhoseRecorderDiedIsIngestedAsAbandoned() throws Exception {
    Spool spool = new Spool(home);
    NewRun run = TestRuns.newRun("killed.py", "", 1, T0);
    spool.record(run);
    // Rewrite its recorder as a process that no longer exists.
    Path file = spool.dir().resolve(Spool.fileName(run));
    String text = Files.readString(file).replaceAll("(?m)^pid=\\d+$", "pid=999999999");
    Files.writeString(file, text);
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    HistoryStore.Ingestion ingestion = store.ingest(spool, T0.plusSeconds(5));
    assertEquals(1, ingestion.abandoned());
    assertEquals(Outcome.ABANDONED, store.find(run.runId()).orElseThrow().outcome());
    assertEquals(0, spool.size());
  }

  @Test
  void aRecorderThatSettledJustBeforeExitingIsNotMarkedAbandoned() throws Exception {
    // Regression: an ingester read a running entry, waited for its database turn while the
    // launcher settled and exited, then judged the dead launcher's run abandoned and deleted
    // the file that by then held its settlement.
    Spool spool = new Spool(home);
    NewRun run = TestRuns.newRun("raced.py", "", 1, T0);
    spool.record(run);
    Path file = spool.dir().resolve(Spool.fileName(run));
    Files.writeString(file, Files.readString(file).replaceAll("(?m)^pid=\\d+$", "pid=999999999"));
    List<Spool.Entry> stale = spool.entries(new ArrayList<>());
    assertNull(stale.get(0).settlement());

    spool.settle(run, TestRuns.ok(new Usage(2, 20, 3), T0.plusSeconds(4)));
    Files.writeString(file, Files.readString(file).replaceAll("(?m)^pid=\\d+$", "pid=999999999"));

    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    HistoryStore.Ingestion ingestion = store.ingest(spool, stale, new ArrayList<>(),
        T0.plusSeconds(5));
    assertEquals(0, ingestion.abandoned());
    RunRecord row = store.find(run.runId()).orElseThrow();
    assertEquals(Outcome.OK, row.outcome());
    assertEquals(new Usage(2, 20, 3), row.actual());
    assertEquals(0, spool.size());
  }

  @Test
  void anUnreadableSpoolFileIsReportedNotFatal() throws Exception {
    Spool spool = new Spool(home);
    Files.createDirectories(spool.dir());
    Files.writeString(spool.dir().resolve("00000000-broken.run"), "run_id=x\n");
    spool.record(TestRuns.newRun("fine.py", "", 1, T0));
    List<Path> unreadable = new ArrayList<>();
    assertEquals(1, spool.entries(unreadable).size());
    assertEquals(1, unreadable.size());
  }

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
    PredictorSnapshot empty = new PredictorSnapshot(Optional.empty(), Map.of());
    empty.write(PredictorSnapshot.file(home));
    assertFalse(PredictorSnapshot.read(PredictorSnapshot.file(home)).isEmpty());
    assertEquals(Optional.of(Optional.empty()),
        PredictorSnapshot.modelVersion(PredictorSnapshot.file(home)), "no model inside");
  }
}
