package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.spool.Spool;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A launch's work is done when its job is: a database that is down, slow or misconfigured
 * costs it at most its delivery budget and one line, never the job's exit code, and the run
 * reaches the database through the next command that reads the history.
 */
@EnabledOnOs(OS.LINUX)
class DatabaseFaultsIT {

  @TempDir Path home;

  /** A loopback port nothing listens on (bound, then released). */
  private static int deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  @Test
  void aServerThatIsDownCostsALaunchOneLineAndTheRunArrivesWhenItIsBack() throws Exception {
    int port = deadPort();
    String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/forge-shared";
    Launcher launcher = new Launcher(home).env("FORGE_DB_URL", url);
    long t0 = System.nanoTime();
    Launcher.Result r = launcher.run("--", "bash", "-c", "echo out; exit 3");
    long tookMs = millisSince(t0);
    assertEquals(3, r.exitCode(), r.stderr());
    assertEquals("out\n", r.stdout());
    List<String> lines = r.stderr().lines().toList();
    assertEquals(2, lines.size(), "one line about the database, one summary: " + r.stderr());
    assertTrue(lines.get(0).contains("not yet in the database"), lines.get(0));
    assertTrue(lines.get(1).startsWith("forge: bash "), lines.get(1));
    // Retrying for its minute took 60 s; the budget is one second (JVM start aside).
    assertTrue(tookMs < 20_000, "the launch waited " + tookMs + " ms on a dead server");
    assertEquals(1, new Spool(home).size(), "the run is safe in the spool");

    Server server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir",
        home.resolve("server").toString(), "-ifNotExists").start();
    try {
      List<Map<String, Object>> rows = launcher.history();
      assertEquals(1, rows.size(), "the next reader moved it in: " + rows);
      assertEquals("failed", rows.get(0).get("outcome"));
      assertEquals(0, new Spool(home).size());
      Launcher.Result live = launcher.run("--", "true");
      assertEquals(0, live.exitCode(), live.stderr());
      assertEquals(1, live.stderr().lines().count(), "only the summary: " + live.stderr());
      assertEquals(0, new Spool(home).size(), "delivered by the launch itself");
      assertEquals(2, launcher.history().size());
    } finally {
      server.stop();
    }
  }

  @Test
  void anUnusableDatabaseUrlIsAConfigurationErrorSaidInOneLineAtOnce() throws Exception {
    Launcher launcher = new Launcher(home).env("FORGE_DB_URL", "not-a-jdbc-url");
    long t0 = System.nanoTime();
    Launcher.Result r = launcher.run("--", "bash", "-c", "exit 4");
    assertEquals(4, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("FORGE_DB_URL cannot be used: no database driver in Forge"
        + " accepts the URL not-a-jdbc-url"), r.stderr());
    Launcher.Result history = launcher.run("history");
    long tookMs = millisSince(t0);
    assertEquals(125, history.exitCode());
    assertEquals(1, history.stderr().lines().count(), history.stderr());
    assertTrue(history.stderr().contains("no database driver"), history.stderr());
    // Retried as a broken connection, each of the two took 25 s.
    assertTrue(tookMs < 20_000, "two commands took " + tookMs + " ms on a URL no driver takes");
  }

  @Test
  void aReportThatCannotBeWrittenLeavesTheJobsExitCodeAndSummary() throws Exception {
    Path report = home.resolve("no-such-dir").resolve("r.json");
    Launcher.Result r = new Launcher(home).run("--json-report", report.toString(), "--",
        "bash", "-c", "exit 3");
    assertEquals(3, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("forge: cannot write the JSON report to " + report
        + ": no such file or folder: " + report), r.stderr());
    assertTrue(r.stderr().lines().anyMatch(l -> l.startsWith("forge: bash ")), r.stderr());
    assertFalse(Files.exists(report));
  }

  /**
   * A launch that finds the spool full starts the ingestion in the background and exits as
   * any launch does (every launch of a burst used to ingest in turn, 34 of 100 timing out on
   * the lock); the runs reach the database without anyone waiting for them.
   */
  @Test
  void theLaunchThatFillsTheSpoolLeavesItsIngestionToTheBackground() throws Exception {
    Launcher launcher = new Launcher(home);
    assertEquals(0, launcher.run("--quiet", "--", "true").exitCode()); // creates the database
    assertEquals(1, launcher.history().size());
    Spool spool = new Spool(home);
    java.time.Instant t = java.time.Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < 99; i++) {
      io.forge.model.history.NewRun run = new io.forge.model.history.NewRun(
          java.util.UUID.randomUUID().toString(), "spooled", io.forge.model.features
              .FeatureExtractor.extract(new io.forge.model.Job("spooled", "python3",
                  io.forge.model.ScriptText.of(""), List.of()),
                  io.forge.model.features.PriorRuns.none()),
          io.forge.model.predict.ColdStart.prior("python"), "dry-run", null, null, "none",
          "python3 spooled.py", "launcher", null, null, t.plusSeconds(i));
      spool.record(run);
      spool.settle(run, new io.forge.model.history.Settlement(
          new io.forge.model.Usage(1, 10, 2), io.forge.model.Outcome.OK, 0,
          t.plusSeconds(i + 1)));
    }
    Launcher.Result r = launcher.run("--", "true");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(1, r.stderr().lines().count(), "the summary alone: " + r.stderr());
    for (int i = 0; i < 300 && (spool.size() > 0
        || Files.exists(home.resolve("ingest.pending"))); i++) {
      Thread.sleep(100);
    }
    assertEquals(0, spool.size(), "ingested in the background");
    assertFalse(Files.exists(home.resolve("ingest.pending")));
    assertEquals(101, launcher.history().size());
  }
}
