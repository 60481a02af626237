package io.forge.model.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.history.RunRecord;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many JVMs writing to one embedded database, as concurrent launches on one host do. */
class ConcurrentRecordersIT {

  @TempDir Path home;

  private Process fork(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ConcurrentRecorder.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("recorder-" + String.join("-", args).hashCode() + ".log")
            .toFile())
        .start();
  }

  @Test
  void twelveJvmsRecordAndSettleConcurrentlyAndNoRowIsLost() throws Exception {
    int jvms = 12;
    int runsEach = 15;
    List<Process> processes = new ArrayList<>();
    for (int j = 0; j < jvms; j++) {
      processes.add(fork(home.toString(), String.valueOf(runsEach), "jvm" + j));
    }
    for (int j = 0; j < jvms; j++) {
      Process p = processes.get(j);
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "recorder " + j + " hung");
      assertEquals(0, p.exitValue(), "recorder " + j + " failed; logs in " + home);
    }
    try (HistoryStore store = HistoryStore.open(StoreLocation.embedded(home))) {
      List<RunRecord> rows = store.queries().history(jvms * runsEach + 10);
      assertEquals(jvms * runsEach, rows.size());
      assertTrue(rows.stream().allMatch(r -> r.outcome() == Outcome.OK && r.actual() != null));
      assertEquals(jvms * runsEach, store.queries().measuredCount());
    }
  }

  @Test
  void aRecorderKilledBeforeSettlingLeavesAnAbandonedRowNotACorruptDatabase() throws Exception {
    Process crashing = fork(home.toString(), "1", "crash", "crash");
    assertTrue(crashing.waitFor(120, TimeUnit.SECONDS));
    assertEquals(3, crashing.exitValue(), "the recorder halts right after recording");
    try (HistoryStore store = HistoryStore.open(StoreLocation.embedded(home))) {
      List<RunRecord> rows = store.queries().history(10);
      assertEquals(1, rows.size());
      assertEquals(Outcome.RUNNING, rows.get(0).outcome());
      assertEquals(1, store.ingestion().markAbandoned(Instant.now()));
      RunRecord row = store.queries().history(10).get(0);
      assertEquals(Outcome.ABANDONED, row.outcome());
      assertTrue(row.settledAt() != null);
      assertEquals(0, store.ingestion().markAbandoned(Instant.now()), "idempotent");
    }
    assertTrue(new File(home.toFile(), "forge.mv.db").length() > 0);
  }
}
