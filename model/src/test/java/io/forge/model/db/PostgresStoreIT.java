package io.forge.model.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecord;
import io.forge.model.history.TestRuns;
import io.forge.model.predict.TrainedModel;
import io.forge.model.service.ForgeModel;
import io.forge.model.train.Trainer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FORGE_DB_URL=jdbc:postgresql://…}: the shared history on a real PostgreSQL server,
 * started for these tests ({@link PostgresServer}).
 */
@EnabledOnOs(OS.LINUX)
class PostgresStoreIT {

  @RegisterExtension
  static final PostgresServer.PerClass PG = new PostgresServer.PerClass();

  @TempDir Path home;

  private StoreLocation location(String url, Path forgeHome) {
    return StoreLocation.fromEnvironment(PostgresServer.env(url, forgeHome));
  }

  @Test
  void theSameMigrationsBuildTheSchemaFromEmptyAndItHoldsRunsAndModels() throws Exception {
    StoreLocation location = location(PG.server().newDatabase(), home);
    assertTrue(location.jdbcUrl().startsWith("jdbc:postgresql://127.0.0.1:"));
    try (HistoryStore store = HistoryStore.open(location)) {
      NewRun run = TestRuns.newRun("shared.py", "import numpy", 3, Instant.now());
      store.record(run);
      assertTrue(store.settle(run.runId(), TestRuns.ok(new Usage(1, 50, 2), Instant.now())));
      assertFalse(store.settle(run.runId(), TestRuns.ok(new Usage(1, 60, 2), Instant.now())),
          "settled once");
      assertFalse(store.recordSettled(run, TestRuns.ok(new Usage(1, 50, 2), Instant.now())),
          "the same run twice: nothing inserted, the transaction still usable");
      RunRecord row = store.queries().find(run.runId()).orElseThrow();
      assertEquals(Outcome.OK, row.outcome());
      assertEquals(50.0, row.actual().peakRssMb());
      assertEquals(Database.SCHEMA_VERSION, store.database().inTransaction(
          Database::schemaVersion));
    }
    try (HistoryStore again = HistoryStore.open(location)) {
      assertEquals(1, again.queries().measuredCount(), "reopened: migrated once");
    }
  }

  /** Two hosts' homes on one server: what one trains, the other predicts with. */
  @Test
  void aModelTrainedFromOneHomeIsTheModelOfAnother(@TempDir Path other) throws Exception {
    String url = PG.server().newDatabase();
    ForgeModel first = ForgeModel.open(location(url, home), Clock.systemUTC());
    List<NewRun> runs = new ArrayList<>();
    List<io.forge.model.history.Settlement> settled = new ArrayList<>();
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < Trainer.MIN_ROWS + 20; i++) {
      NewRun run = TestRuns.newRun("step" + (i % 4) + ".py", "import pandas", 10 + i,
          t.plusSeconds(60L * i));
      runs.add(run);
      settled.add(TestRuns.ok(new Usage(1 + i % 7, 100 + 10 * (i % 4) + i % 5, 2 + i % 3),
          t.plusSeconds(60L * i + 30)));
    }
    assertEquals(runs.size(), first.history().recordSettledBatch(runs, settled));
    TrainedModel model = first.train(Trainer.Progress.none());
    ForgeModel second = ForgeModel.open(location(url, other), Clock.systemUTC());
    assertEquals(model.info().version(), second.models().latestInfo().orElseThrow().version());
    assertEquals(runs.size(), second.history().queries().measuredCount());
  }

  @Test
  void tenJvmsRecordAndSettleConcurrentlyAndNoRowIsLost() throws Exception {
    String url = PG.server().newDatabase();
    HistoryStore.open(location(url, home)).close(); // the schema, once
    int jvms = 10;
    int runsEach = 15;
    List<Process> processes = new ArrayList<>();
    for (int j = 0; j < jvms; j++) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
          "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), ConcurrentRecorder.class.getName(),
          home.toString(), String.valueOf(runsEach), "jvm" + j)
          .redirectErrorStream(true)
          .redirectOutput(home.resolve("recorder-" + j + ".log").toFile());
      pb.environment().putAll(PostgresServer.env(url, home));
      processes.add(pb.start());
    }
    for (int j = 0; j < jvms; j++) {
      assertTrue(processes.get(j).waitFor(240, TimeUnit.SECONDS), "recorder " + j + " hung");
      assertEquals(0, processes.get(j).exitValue(), "recorder " + j + " failed; logs in "
          + home);
    }
    try (HistoryStore store = HistoryStore.open(location(url, home))) {
      assertEquals(jvms * runsEach, store.queries().measuredCount());
      assertTrue(store.queries().history(jvms * runsEach + 10).stream()
          .allMatch(r -> r.outcome() == Outcome.OK));
    }
  }
}
