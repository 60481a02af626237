package io.forge.model.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecord;
import io.forge.model.history.Settlement;
import io.forge.model.history.StoreException;
import io.forge.model.history.TestRuns;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {

  @TempDir Path home;

  /** What a model guessed for analyses before they had run is scored; later guesses are not. */
  @Test
  void theCalibrationScoresAModelsGuessesForAnalysesThatHadNotRunYet() throws Exception {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    Instant t = Instant.parse("2026-03-01T10:00:00Z");
    NewRun first = TestRuns.modelPredicted("new.py", 100, t);
    NewRun burst = TestRuns.modelPredicted("new.py", 100, t.plusSeconds(1));
    NewRun later = TestRuns.modelPredicted("new.py", 100, t.plusSeconds(30));
    NewRun prior = TestRuns.newRun("other.py", "", 1, t);
    for (NewRun r : List.of(first, burst, later, prior)) {
      store.record(r);
    }
    store.settle(first.runId(), TestRuns.ok(new Usage(1, 150, 1), t.plusSeconds(10)));
    store.settle(burst.runId(), TestRuns.ok(new Usage(1, 120, 1), t.plusSeconds(20)));
    store.settle(later.runId(), TestRuns.ok(new Usage(1, 130, 1), t.plusSeconds(40)));
    store.settle(prior.runId(), TestRuns.ok(new Usage(1, 130, 1), t.plusSeconds(50)));
    PeakCalibration c = store.evidence().replay(10).calibration();
    assertEquals(2, c.scores(PeakCalibration.MODEL), "the first run and the one predicted"
        + " before it settled; not the one predicted after, nor a prior's guess");
  }

  @Test
  void migrationsCreateTheSpecTableOnARealFile() throws Exception {
    StoreLocation location = StoreLocation.embedded(home);
    HistoryStore.open(location);
    assertTrue(Files.exists(home.resolve("forge.mv.db")));
    try (Connection c =
            DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT LOWER(COLUMN_NAME) FROM INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE LOWER(TABLE_NAME) = 'resource_prediction'")) {
      Set<String> columns = new HashSet<>();
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
      for (String spec :
          List.of("analysis_id", "predicted_cpu_s", "predicted_rss_mb", "predicted_wall_s",
              "actual_cpu_s", "actual_rss_mb", "actual_wall_s", "model_version",
              "predicted_at", "settled_at", "runtime", "mode", "memory_limit_mb", "timeout_s",
              "exit_code", "outcome", "input_total_mb")) {
        assertTrue(columns.contains(spec), "missing column " + spec + " in " + columns);
      }
    }
    try (Connection c =
            DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE LOWER(TABLE_NAME) IN ('forge_model', 'forge_schema_history')")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
      assertEquals(Database.SCHEMA_VERSION, Database.schemaVersion(c));
    }
  }

  @Test
  void schemaVersionConstantMatchesTheHighestMigrationFile() throws Exception {
    Path dir = Path.of(HistoryStoreTest.class.getResource("/db/forge").toURI());
    int highest;
    try (Stream<Path> files = Files.list(dir)) {
      highest =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max()
              .orElse(0);
    }
    assertEquals(highest, Database.SCHEMA_VERSION);
  }

  /**
   * A database written before figures were checked at the door, holding one poisoned run: the
   * migration keeps the run, unmeasured, and the evidence no longer sees it.
   */
  @Test
  void aPoisonedFigureFromAnOlderForgeIsClearedByTheMigration() throws Exception {
    StoreLocation location = StoreLocation.embedded(home);
    NewRun good = TestRuns.newRun("plain", "", 1, Instant.parse("2026-01-01T00:00:00Z"));
    NewRun poisoned = TestRuns.newRun("plain", "", 1, Instant.parse("2026-01-01T00:01:00Z"));
    try (HistoryStore store = HistoryStore.open(location)) {
      store.record(good);
      store.settle(good.runId(), TestRuns.ok(new Usage(1, 100, 2),
          Instant.parse("2026-01-01T00:00:30Z")));
      store.record(poisoned);
      store.settle(poisoned.runId(), TestRuns.ok(new Usage(1, 200, 2),
          Instant.parse("2026-01-01T00:01:30Z")));
    }
    try (Connection c = DriverManager.getConnection(location.jdbcUrl(), location.user(),
        location.password())) {
      c.createStatement().executeUpdate("UPDATE resource_prediction SET actual_rss_mb = 9.5e19"
          + " WHERE run_id = '" + poisoned.runId() + "'");
      c.createStatement().executeUpdate("DELETE FROM \"" + Database.HISTORY_TABLE
          + "\" WHERE \"version\" = '3'"); // as an older Forge left it
    }
    try (HistoryStore store = HistoryStore.open(location)) {
      RunRecord row = store.queries().find(poisoned.runId()).orElseThrow();
      assertEquals(Outcome.OK, row.outcome());
      assertNull(row.actual(), "kept, unmeasured");
      assertEquals(100.0, store.evidence().priorRuns("plain", 10).largestPeakMb());
      assertEquals(1, store.queries().measuredCount());
    }
  }

  @Test
  void reopeningACurrentDatabaseDoesNotMigrateAgain() {
    StoreLocation location = StoreLocation.embedded(home);
    HistoryStore first = HistoryStore.open(location);
    first.record(TestRuns.newRun("a.py", "import numpy", 1, Instant.now()));
    HistoryStore second = HistoryStore.open(location);
    assertEquals(1, second.queries().history(10).size());
  }

  @Test
  void recordThenSettleRoundTripsEveryField() {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
    NewRun run = TestRuns.newRun("cluster.py", "import scanpy as sc\nsc.pp.log1p(x)\n", 42, t0);
    store.record(run);
    RunRecord running = store.queries().find(run.runId()).orElseThrow();
    assertEquals(Outcome.RUNNING, running.outcome());
    assertNull(running.settledAt());
    assertNull(running.actual());

    store.settle(run.runId(), new Settlement(new Usage(3.5, 120, 4.25), Outcome.OK, 0,
        t0.plusSeconds(5)));
    RunRecord settled = store.queries().find(run.runId()).orElseThrow();
    assertEquals(Outcome.OK, settled.outcome());
    assertEquals(new Usage(3.5, 120, 4.25), settled.actual());
    assertEquals(t0, settled.predictedAt());
    assertEquals(t0.plusSeconds(5), settled.settledAt());
    assertEquals(run.prediction(), settled.prediction());
    assertEquals(2, settled.script().tokens("scanpy"));
    assertEquals(42.0, settled.inputTotalMb());
    assertEquals(0, settled.exitCode());

    Map<String, Object> json = settled.toJson();
    assertEquals("cluster.py", json.get("analysis_id"));
    assertEquals(120.0, json.get("actual_rss_mb"));
    assertEquals("ok", json.get("outcome"));
    assertTrue(json.containsKey("predicted_rss_mb") && json.containsKey("settled_at"));
  }

  @Test
  void recordAndSettleAreIdempotentUnderRetry() {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    NewRun run = TestRuns.newRun("a.py", "", 1, Instant.now());
    store.record(run);
    store.record(run);
    Settlement s = TestRuns.ok(new Usage(1, 2, 3), Instant.now());
    store.settle(run.runId(), s);
    store.settle(run.runId(), s);
    assertEquals(1, store.queries().history(10).size());
    assertThrows(StoreException.class, () -> store.settle("no-such-run", s));
  }

  @Test
  void importKeysPreventDuplicateRows() {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    NewRun base = TestRuns.newRun("proc", "", 1, Instant.now());
    NewRun imported = new NewRun(base.runId(), "proc", base.features(), null, "import", null,
        null, null, null, "import", "wf", "trace.csv#1", base.predictedAt());
    Settlement s = TestRuns.ok(new Usage(1, 2, 3), Instant.now());
    assertTrue(store.recordSettled(imported, s));
    NewRun again = new NewRun("other-id", "proc", base.features(), null, "import", null, null,
        null, null, "import", "wf", "trace.csv#1", base.predictedAt());
    assertFalse(store.recordSettled(again, s));
    assertEquals(1, store.queries().measuredCount());
  }

  @Test
  void priorRunsSummariseAllMeasuredRunsOfTheAnalysis() {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 1; i <= 12; i++) {
      NewRun run = TestRuns.newRun("x.py", "", i, t.plusSeconds(i * 10L));
      store.record(run);
      store.settle(run.runId(), TestRuns.ok(new Usage(i, i * 100, i), t.plusSeconds(i * 10L + 5)));
    }
    NewRun failed = TestRuns.capped("x.py", 1500, t.plusSeconds(500));
    store.record(failed);
    store.settle(failed.runId(),
        new Settlement(new Usage(99, 99999, 99), Outcome.OOM_KILLED, 137, t.plusSeconds(501)));

    Predictor.Earlier prior = store.evidence().priorRuns("x.py", 10);
    assertEquals(12, prior.summary().count(), "the censored oom_killed run is not a measurement");
    assertEquals(10, prior.recentOldestFirst().size());
    assertEquals(300.0, prior.recentOldestFirst().get(0).peakRssMb());
    assertEquals(1200.0, prior.summary().max().peakRssMb());
    assertEquals(650.0, prior.summary().mean().peakRssMb(), 1e-9);
    assertEquals(1200.0, prior.summary().last().peakRssMb());
    assertEquals(0, store.evidence().priorRuns("unknown.py", 10).summary().count());
    assertEquals(1500.0, prior.killedAtMb(), "killed at its cap after its last measured run");
    assertEquals(1500.0, store.evidence().replay(10).analyses().get("x.py").killedAtMb());

    NewRun after = TestRuns.newRun("x.py", "", 1, t.plusSeconds(600));
    store.record(after);
    store.settle(after.runId(), TestRuns.ok(new Usage(1, 1800, 1), t.plusSeconds(601)));
    assertEquals(0.0, store.evidence().priorRuns("x.py", 10).killedAtMb(),
        "a measured run since: the kill no longer bounds the next cap");
    NewRun onlyKilled = TestRuns.capped("y.py", 64, t.plusSeconds(700));
    store.record(onlyKilled);
    store.settle(onlyKilled.runId(),
        new Settlement(null, Outcome.OOM_KILLED, 137, t.plusSeconds(701)));
    Predictor.Earlier y = store.evidence().replay(10).analyses().get("y.py");
    assertEquals(64.0, y.killedAtMb(), "an analysis that was only ever killed is known too");
    assertEquals(0, y.summary().count());

    PeakCalibration c = store.evidence().replay(10).calibration();
    assertEquals(12, c.scores(PeakCalibration.bucket(1)) + c.scores(PeakCalibration.bucket(2))
        + c.scores(PeakCalibration.bucket(3)) + c.scores(PeakCalibration.bucket(5))
        + c.scores(PeakCalibration.bucket(10)), "one score per measured run after the first");
    assertEquals(1800.0, c.toolPeakMb("x.py").getAsDouble(), 1e-9);
  }

  @Test
  void historyIsNewestFirstAndCountsOutcomes() {
    HistoryStore store = HistoryStore.open(StoreLocation.embedded(home));
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      NewRun run = TestRuns.newRun("h" + i + ".py", "", 1, t.plusSeconds(i));
      store.record(run);
      if (i < 3) {
        store.settle(run.runId(), TestRuns.ok(new Usage(1, 1, 1), t.plusSeconds(i + 1)));
      }
    }
    List<RunRecord> history = store.queries().history(3);
    assertEquals(List.of("h4.py", "h3.py", "h2.py"),
        history.stream().map(RunRecord::analysisId).collect(Collectors.toList()));
    assertEquals(Map.of("ok", 3, "running", 2), store.queries().outcomeCounts());
  }

  @Test
  void unwritableHomeGivesAnActionableMessage() throws Exception {
    Path file = home.resolve("not-a-dir");
    Files.writeString(file, "x");
    StoreException e =
        assertThrows(StoreException.class,
            () -> HistoryStore.open(StoreLocation.embedded(file.resolve("sub"))));
    assertTrue(e.getMessage().contains("FORGE_HOME"), e.getMessage());
  }

  @Test
  void aCorruptDatabaseFileGivesAnActionableMessage() throws Exception {
    Files.write(home.resolve("forge.mv.db"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    StoreException e =
        assertThrows(StoreException.class, () -> HistoryStore.open(StoreLocation.embedded(home)));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void environmentSelectsHomeOrJdbcUrl() {
    StoreLocation byHome = StoreLocation.fromEnvironment(Map.of("FORGE_HOME", home.toString()));
    assertTrue(byHome.jdbcUrl().startsWith("jdbc:h2:file:" + home.toAbsolutePath()));
    assertTrue(byHome.jdbcUrl().contains("WRITE_DELAY=0"), "commits must survive a kill");
    assertEquals(home.toAbsolutePath().resolve("forge.db.lock"), byHome.lockFile());
    StoreLocation byUrl =
        StoreLocation.fromEnvironment(
            Map.of("FORGE_DB_URL", "jdbc:h2:mem:x;PASSWORD=secret", "FORGE_HOME", "/tmp"));
    assertEquals("jdbc:h2:mem:x;PASSWORD=secret", byUrl.jdbcUrl());
    assertFalse(byUrl.describe().contains("secret"));
    assertFalse(byUrl.isEmbeddedFile());
  }
}
