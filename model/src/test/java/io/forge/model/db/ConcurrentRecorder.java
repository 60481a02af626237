package io.forge.model.db;

import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.TestRuns;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A separate JVM that records and settles runs into a shared Forge home, as concurrent
 * launches do. Arguments: home, number of runs, tag, and optionally {@code crash} to record one
 * run and die without settling it.
 */
public final class ConcurrentRecorder {

  private ConcurrentRecorder() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    String tag = args[2];
    boolean crash = args.length > 3 && args[3].equals("crash");
    // The embedded file of the home, or the server FORGE_DB_URL names.
    HistoryStore store = HistoryStore.open(System.getenv("FORGE_DB_URL") == null
        ? StoreLocation.embedded(home) : StoreLocation.fromEnvironment(System.getenv()));
    for (int i = 0; i < runs; i++) {
      NewRun run = TestRuns.newRun(tag + "-" + i + ".py", "import numpy", i, Instant.now());
      store.record(run);
      if (crash) {
        // Die between record and settle, as a killed launcher would.
        Runtime.getRuntime().halt(3);
      }
      // Connections are released while the "job" runs, as the launcher does.
      store.database().release();
      Thread.sleep(20);
      store.settle(run.runId(), TestRuns.ok(new Usage(i, 10 + i, 1), Instant.now()));
    }
    store.close();
    System.out.println("recorded " + runs);
  }
}
