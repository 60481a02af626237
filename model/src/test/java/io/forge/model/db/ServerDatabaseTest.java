package io.forge.model.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.TestRuns;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FORGE_DB_URL} pointing at a database server instead of the embedded file. */
class ServerDatabaseTest {

  @TempDir Path dir;

  @Test
  void aTcpServerUrlIsMigratedAndUsedWithPooledConnections() throws Exception {
    Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(),
        "-ifNotExists").start();
    try {
      StoreLocation location = StoreLocation.fromEnvironment(Map.of(
          "FORGE_DB_URL", "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/forge-shared",
          "FORGE_DB_USER", "forge", "FORGE_DB_PASSWORD", "s3cret",
          "FORGE_HOME", dir.resolve("home").toString()));
      assertFalse(location.isEmbeddedFile());
      try (HistoryStore store = HistoryStore.open(location)) {
        NewRun run = TestRuns.newRun("remote.py", "import numpy", 3, Instant.now());
        store.record(run);
        store.settle(run.runId(), TestRuns.ok(new Usage(1, 50, 2), Instant.now()));
        assertEquals(Outcome.OK, store.queries().find(run.runId()).orElseThrow().outcome());
      }
      try (HistoryStore again = HistoryStore.open(location)) {
        assertEquals(1, again.queries().measuredCount(), "a second client sees the same rows");
      }
    } finally {
      server.stop();
    }
  }
}
