package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI running a batch of real jobs under a budget. */
@EnabledOnOs(OS.LINUX)
class BatchIT {

  @TempDir Path home;

  @Test
  void aBatchRunsEveryJobUnderTheBudgetAndRetriesACappedOneOnce() throws Exception {
    Launcher launcher = new Launcher(home);
    String hog = Launcher.job("hog.py").toString();
    // History for the analysis so its caps are predicted (about 60 MB peak → 90 MB cap).
    for (int i = 0; i < 3; i++) {
      assertEquals(0, launcher.run("--quiet", "--analysis-id", "hog-60", "--", "python3", hog,
          "60", "0.1").exitCode());
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add("{\"command\": [\"python3\", \"" + hog + "\", \"60\", \"0.3\"],"
          + " \"analysis_id\": \"hog-60\"}");
    }
    lines.add("# a job that outgrows its predicted cap: killed once, then retried with double");
    lines.add("{\"command\": [\"python3\", \"" + hog + "\", \"150\", \"0.3\"],"
        + " \"analysis_id\": \"hog-60\"}");
    Path batch = home.resolve("jobs.txt");
    Files.write(batch, lines);

    Launcher.Result r = launcher.run("batch", batch.toString(), "--budget-mb", "250",
        "--cores", "4", "--json");
    assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
    Map<String, Object> s = Json.readObject(r.stdout());
    assertEquals(7, s.get("jobs"));
    assertEquals(7, s.get("succeeded"));
    assertTrue(((Number) s.get("peak_committed_mb")).doubleValue() <= 250 + 1e-9, s.toString());
    assertEquals(1, s.get("retries"), s.toString());
    assertEquals(1, s.get("oom_kills"), s.toString());
    long oomRows = launcher.history().stream()
        .filter(row -> "oom_killed".equals(row.get("outcome"))).count();
    assertEquals(1, oomRows, "the censored attempt is recorded");
  }

  /**
   * Regression: the summary counted attempts as jobs ("4 jobs: 3 succeeded, 2 killed"), logs
   * were named after line numbers, and a failed batch exited 1, a code no help listed.
   */
  @Test
  void aFailedBatchCountsEachJobOnceNamesItsLogsAfterItsJobsAndExits123() throws Exception {
    Launcher launcher = new Launcher(home);
    String hog = Launcher.job("hog.py").toString();
    for (int i = 0; i < 2; i++) {
      assertEquals(0, launcher.run("--quiet", "--analysis-id", "hog-40", "--", "python3", hog,
          "40", "0.1").exitCode());
    }
    Path logs = home.resolve("logs");
    Path batch = home.resolve("jobs.txt");
    String job = "{\"command\": [\"python3\", \"" + hog + "\", \"%s\", \"%s\"],"
        + " \"analysis_id\": \"hog-40\"}";
    Files.write(batch, List.of(
        String.format(job, "40", "0.1"),
        String.format(job, "40", "0.1"),
        "# outgrows its cap twice: killed, retried with double, killed again",
        String.format(job, "600", "0.3"),
        "{\"command\": [\"sh\", \"-c\", \"exit 3\"]}"));
    Launcher.Result r = launcher.run("batch", batch.toString(), "--budget-mb", "2000",
        "--cores", "4", "--logs", logs.toString());
    assertEquals(123, r.exitCode(), r.stderr() + r.stdout());
    assertTrue(r.stdout().startsWith("4 jobs: 2 succeeded, 2 failed (1 of them killed by their"
        + " cap); 2 attempts killed by a cap, 1 retried with double the cap"), r.stdout());
    List<String> names = new ArrayList<>();
    try (var files = Files.list(logs)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    for (String log : List.of("hog-40.out", "hog-40-2.err", "hog-40-3.out",
        "hog-40-3-retry.err")) {
      assertTrue(names.contains(log), log + " in " + names);
    }
    assertTrue(names.stream().anyMatch(n -> n.startsWith("sh_-c_") && n.endsWith(".err")),
        "the one-liner's log is named after it: " + names);
  }
}
