package io.forge.model.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecord;
import io.forge.model.history.TestRuns;
import io.forge.model.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolIngestionTest {

  @TempDir Path home;

  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00.123Z");

  @Test
  void ingestionMovesSettledRunsInAndKeepsRunningOnesUntilSettled() {
    Spool spool = new Spool(home);
    NewRun done = TestRuns.newRun("done.py", "", 1, T0);
    NewRun running = TestRuns.newRun("running.py", "", 1, T0);
    spool.record(done);
    spool.settle(done, TestRuns.ok(new Usage(1, 2, 3), T0.plusSeconds(1)));
    spool.record(running);

    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    SpoolIngestion.Result first = store.ingest(spool, T0.plusSeconds(2));
    assertEquals(2, first.ingested());
    assertEquals(0, first.abandoned(), "its recorder (this JVM) is alive");
    assertEquals(1, spool.size(), "the running run stays spooled");
    assertEquals(Outcome.OK, store.queries().find(done.runId()).orElseThrow().outcome());
    assertEquals(Outcome.RUNNING, store.queries().find(running.runId()).orElseThrow().outcome());
    assertEquals(0, store.ingest(spool, T0.plusSeconds(3)).ingested(),
        "a run still running changes nothing the second time (the snapshot is not rebuilt)");

    spool.settle(running, TestRuns.ok(new Usage(4, 5, 6), T0.plusSeconds(9)));
    store.ingest(spool, T0.plusSeconds(10));
    assertEquals(0, spool.size());
    RunRecord row = store.queries().find(running.runId()).orElseThrow();
    assertEquals(Outcome.OK, row.outcome());
    assertEquals(new Usage(4, 5, 6), row.actual());
    assertEquals(2, store.queries().history(10).size(), "ingesting twice inserts nothing twice");
  }

  @Test
  void aSpooledFigureNoJobCanHaveIsCountedAndKeptOutOfTheMeasurements() {
    Spool spool = new Spool(home);
    NewRun run = TestRuns.newRun("corrupt.py", "", 1, T0);
    spool.record(run);
    spool.settle(run, TestRuns.ok(new Usage(1, 9.5e19, 3), T0.plusSeconds(1)));
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    SpoolIngestion.Result r = store.ingest(spool, T0.plusSeconds(2));
    assertEquals(1, r.ingested());
    assertEquals(1, r.implausible());
    RunRecord row = store.queries().find(run.runId()).orElseThrow();
    assertEquals(Outcome.OK, row.outcome(), "the run and its outcome stay");
    assertNull(row.actual());
    assertEquals(0, store.queries().measuredCount());
  }

  @Test
  void aRunWhoseRecorderDiedIsIngestedAsAbandoned() throws Exception {
    Spool spool = new Spool(home);
    NewRun run = TestRuns.newRun("killed.py", "", 1, T0);
    spool.record(run);
    // Rewrite its recorder as a process that no longer exists.
    Path file = spool.dir().resolve(Spool.fileName(run));
    deadRecorder(file);
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    SpoolIngestion.Result ingestion = store.ingest(spool, T0.plusSeconds(5));
    assertEquals(1, ingestion.abandoned());
    assertEquals(Outcome.ABANDONED, store.queries().find(run.runId()).orElseThrow().outcome());
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
    deadRecorder(file);
    List<Spool.Entry> stale = spool.entries(new ArrayList<>());
    assertNull(stale.get(0).settlement());

    spool.settle(run, TestRuns.ok(new Usage(2, 20, 3), T0.plusSeconds(4)));
    deadRecorder(file);

    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    SpoolIngestion.Result ingestion = store.ingestion().ingest(spool, stale, new ArrayList<>(),
        T0.plusSeconds(5));
    assertEquals(0, ingestion.abandoned());
    RunRecord row = store.queries().find(run.runId()).orElseThrow();
    assertEquals(Outcome.OK, row.outcome());
    assertEquals(new Usage(2, 20, 3), row.actual());
    assertEquals(0, spool.size());
  }

  /** Rewrites a spool file's recorder as a process that no longer exists. */
  private static void deadRecorder(Path file) throws java.io.IOException {
    Files.writeString(file, Files.readString(file)
        .replaceAll("(?m)^recorder_pid=\\d+$", "recorder_pid=999999999"));
  }
}
