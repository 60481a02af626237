package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forge-launch submit} on a real single-node Slurm cluster ({@link SlurmCluster}): the
 * real jar submits with {@code sbatch}, the job runs through {@code forge-launch} inside its
 * allocation, and the history (the home, shared as a cluster's file system shares it) has
 * every attempt.
 */
@EnabledOnOs(OS.LINUX)
class SlurmSubmitIT {

  @RegisterExtension
  static final SlurmCluster SLURM = new SlurmCluster();

  @TempDir Path home;

  private Launcher launcher() {
    return new Launcher(home).env("SLURM_CONF", SLURM.conf().toString());
  }

  /** Three local runs of {@code hog.py MB}: the analysis's history, which sizes its jobs. */
  private void history(String analysis, int mb) throws Exception {
    for (int i = 0; i < 3; i++) {
      Launcher.Result r = launcher().run("--mode", "enforce", "--analysis-id", analysis, "--",
          "python3", Launcher.job("hog.py").toString(), Integer.toString(mb), "0.1");
      assertEquals(0, r.exitCode(), r.stderr());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> attempts(Launcher.Result r) throws Exception {
    return (List<Map<String, Object>>) Json.readObject(r.stdout()).get("attempts");
  }

  /** What the controller asked the node for: the job's memory, MB. */
  private static long requestedMb(String jobId) throws Exception {
    Matcher m = Pattern.compile("MinMemoryNode=(\\d+)M")
        .matcher(SLURM.client("scontrol", "show", "job", "-o", jobId));
    assertTrue(m.find(), "job " + jobId + " is known to the controller");
    return Long.parseLong(m.group(1));
  }

  private static Map<String, Object> row(List<Map<String, Object>> rows, Object runId) {
    return rows.stream().filter(r -> r.get("run_id").equals(runId)).findFirst().orElseThrow(
        () -> new AssertionError("run " + runId + " is not in the history: " + rows));
  }

  @Test
  void aSubmittedJobRunsSizedAndIsRecordedAndSettledWithItsMeasuredPeak() throws Exception {
    history("sized", 30);
    Launcher.Result r = launcher().run("submit", "--wait", "--json", "--analysis-id", "sized",
        "--", "python3", Launcher.job("hog.py").toString(), "30", "0.1");
    assertEquals(0, r.exitCode(), r.stderr());
    List<Map<String, Object>> attempts = attempts(r);
    assertEquals(1, attempts.size(), r.stdout());
    Map<String, Object> a = attempts.get(0);
    assertEquals("COMPLETED", a.get("slurm_state"));
    long cap = ((Number) a.get("memory_limit_mb")).longValue();
    assertTrue(cap > 30 && cap < 200, "sized from its history, not a fixed guess: " + a);
    assertEquals(cap + 64, requestedMb((String) a.get("job_id")), "--mem = cap + launcher");
    assertTrue(SLURM.client("scontrol", "show", "job", "-o", (String) a.get("job_id"))
        .contains("Comment=forge-run=" + a.get("run_id")), "the comment names the run");
    Map<String, Object> run = row(launcher().history(), a.get("run_id"));
    assertEquals("ok", run.get("outcome"));
    assertEquals("enforce", run.get("mode"));
    assertEquals(cap, Math.round(((Number) run.get("memory_limit_mb")).doubleValue()));
    double peak = ((Number) run.get("actual_rss_mb")).doubleValue();
    assertTrue(peak > 25 && peak < cap, "measured inside the allocation: " + run);
  }

  @Test
  void aJobThatOutgrowsItsCapIsRecordedAsKilledAndResubmittedLargerUntilItFits()
      throws Exception {
    history("grows", 30);
    Launcher.Result r = launcher().run("submit", "--wait", "--json", "--max-attempts", "4",
        "--analysis-id", "grows", "--", "python3", Launcher.job("hog.py").toString(), "150",
        "0.1");
    assertEquals(0, r.exitCode(), r.stderr());
    List<Map<String, Object>> attempts = attempts(r);
    assertTrue(attempts.size() >= 2, r.stdout());
    List<Map<String, Object>> rows = launcher().history();
    for (int i = 0; i < attempts.size(); i++) {
      Map<String, Object> a = attempts.get(i);
      Map<String, Object> run = row(rows, a.get("run_id"));
      boolean last = i == attempts.size() - 1;
      assertEquals(last ? "ok" : "oom_killed", run.get("outcome"), a.toString());
      assertEquals(last ? "done" : "memory", a.get("verdict"));
      if (!last) {
        assertEquals(137, ((Number) a.get("exit_code")).intValue());
        long cap = ((Number) a.get("memory_limit_mb")).longValue();
        long next = ((Number) attempts.get(i + 1).get("memory_limit_mb")).longValue();
        assertTrue(next >= 2 * cap - 1, "the retry rule's larger cap: " + attempts);
        assertTrue(requestedMb((String) attempts.get(i + 1).get("job_id"))
            > requestedMb((String) a.get("job_id")), "and a larger --mem");
      }
    }
  }

  @Test
  void waitExitsWithTheJobsOwnCodeAndDoesNotRetryItsOwnFailure() throws Exception {
    Launcher.Result r = launcher().run("submit", "--wait", "--json", "--", "sh", "-c",
        "exit 3");
    assertEquals(3, r.exitCode(), r.stderr());
    List<Map<String, Object>> attempts = attempts(r);
    assertEquals(1, attempts.size(), "a job's own failure is not retried: " + r.stdout());
    assertEquals("FAILED", attempts.get(0).get("slurm_state"));
    assertEquals("failed", row(launcher().history(), attempts.get(0).get("run_id"))
        .get("outcome"));
  }

  @Test
  void theUsersMemIsAnUpperBoundOnForgesAndTheirOtherOptionsPassThrough() throws Exception {
    // A first run has no history: Forge would ask for the static slot (all of the node).
    // --export=NONE: the job gets none of this environment, FORGE_HOME included; the batch
    // script sets it, so the run still lands in this history.
    Launcher.Result r = launcher().run("submit", "--wait", "--json", "--", "--mem=300M",
        "--job-name=mine", "--export=NONE", "--", "python3", Launcher.job("hog.py").toString(),
        "10", "0.1");
    assertEquals(0, r.exitCode(), r.stderr());
    Map<String, Object> a = attempts(r).get(0);
    assertEquals(300 - 64, ((Number) a.get("memory_limit_mb")).longValue());
    assertEquals(300, requestedMb((String) a.get("job_id")));
    assertTrue(SLURM.client("scontrol", "show", "job", "-o", (String) a.get("job_id"))
        .contains("JobName=mine "), "the user's job name wins");
    assertEquals("ok", row(launcher().history(), a.get("run_id")).get("outcome"));
  }

  @Test
  void aJobNoNodeCanHoldIsRefusedWithoutSubmitting() throws Exception {
    for (int i = 0; i < 2; i++) {
      Launcher.Result big = launcher().run("--mode", "dry-run", "--analysis-id", "huge", "--",
          "python3", Launcher.job("hog.py").toString(),
          Integer.toString(SlurmCluster.NODE_MB + 800), "0.1");
      assertEquals(0, big.exitCode(), big.stderr());
    }
    Launcher.Result r = launcher().run("submit", "--analysis-id", "huge", "--", "python3",
        Launcher.job("hog.py").toString(), Integer.toString(SlurmCluster.NODE_MB + 800));
    assertEquals(69, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("refused") && r.stderr().contains("the largest node of"
        + " partition forge less 64 MB for its launcher is " + (SlurmCluster.NODE_MB - 64)
        + " MB"), "the budget named as what it is: " + r.stderr());
    assertEquals("", r.stdout(), "no job id: nothing was submitted");
    assertEquals("", SLURM.client("squeue", "--noheader", "--states=all", "--name=forge-huge"),
        "no job of that analysis reached Slurm");
  }

  @Test
  void withoutWaitABackgroundFollowerResubmitsAKilledJobUntilItFits() throws Exception {
    history("behind", 30);
    Launcher.Result r = launcher().run("submit", "--max-attempts", "4", "--analysis-id",
        "behind", "--", "python3", Launcher.job("hog.py").toString(), "150", "0.1");
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.stdout().strip().matches("\\d+"), "the first job's id: " + r.stdout());
    assertTrue(r.stderr().contains("followed in the background"), r.stderr());
    try {
      // Newest first, after the three local runs: the attempts, the last one ok.
      List<String> outcomes = List.of();
      for (int i = 0; i < 300 && !(outcomes.size() >= 5 && outcomes.get(0).equals("ok"));
          i++) {
        Thread.sleep(300);
        outcomes = launcher().history().stream()
            .filter(row -> row.get("analysis_id").equals("behind"))
            .map(row -> (String) row.get("outcome")).toList();
      }
      assertEquals("ok", outcomes.get(0), "the last attempt fits: " + outcomes);
      assertEquals("oom_killed", outcomes.get(1), "the first was killed: " + outcomes);
    } finally {
      // A follower left by a failure would poll a stopped controller for half an hour.
      ProcessHandle.allProcesses().filter(p -> p.info().arguments()
          .map(a -> List.of(a).contains("--follow") && List.of(a).contains("behind"))
          .orElse(false)).forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBatchFileGoesToSlurmJobByJobAndEachIsRecorded() throws Exception {
    String hog = Launcher.job("hog.py").toString();
    Path file = home.resolve("jobs.txt");
    java.nio.file.Files.writeString(file, String.join("\n",
        "# two sized jobs and one that fails on its own",
        "python3 " + hog + " 20 0.1",
        "{\"command\": [\"python3\", \"" + hog + "\", \"30\", \"0.1\"], \"analysis_id\":"
            + " \"second\"}",
        "{\"command\": [\"sh\", \"-c\", \"exit 3\"], \"analysis_id\": \"fails\"}", ""));
    Launcher.Result r = launcher().run("batch", file.toString(), "--slurm", "--max-jobs", "2",
        "--json");
    assertEquals(123, r.exitCode(), "one job failed: " + r.stderr());
    Map<String, Object> summary = Json.readObject(r.stdout());
    assertEquals(3, ((Number) summary.get("jobs")).intValue());
    assertEquals(2, ((Number) summary.get("succeeded")).intValue());
    List<Map<String, Object>> rows = launcher().history();
    for (Map<String, Object> job : (List<Map<String, Object>>) summary.get("results")) {
      List<Map<String, Object>> attempts = (List<Map<String, Object>>) job.get("attempts");
      assertEquals(1, attempts.size(), job.toString());
      Map<String, Object> run = row(rows, attempts.get(0).get("run_id"));
      assertEquals(job.get("analysis_id"), run.get("analysis_id"));
      boolean fails = job.get("analysis_id").equals("fails");
      assertEquals(fails ? 3 : 0, ((Number) job.get("exit_code")).intValue(), job.toString());
      assertEquals(fails ? "failed" : "ok", run.get("outcome"));
    }
  }

  @Test
  void aJobWhoseLauncherSlurmKilledIsSettledFromSlurmsWordNotLeftRunning() throws Exception {
    Path out = home.resolve("submit.out");
    Process submit = launcher().builder(List.of("submit", "--wait", "--json", "--analysis-id",
        "orphan", "--", "python3", Launcher.job("hog.py").toString(), "20", "60"))
        .redirectOutput(out.toFile()).redirectError(home.resolve("submit.err").toFile())
        .start();
    try {
      settledFromSlurmsWord(submit, out);
    } finally {
      submit.destroyForcibly();
    }
  }

  private void settledFromSlurmsWord(Process submit, Path out) throws Exception {
    Object runId = null;
    for (int i = 0; i < 150 && runId == null; i++) {
      Thread.sleep(200);
      runId = launcher().history().stream()
          .filter(row -> row.get("analysis_id").equals("orphan")
              && row.get("outcome").equals("running"))
          .map(row -> row.get("run_id")).findFirst().orElse(null);
    }
    assertTrue(runId != null, "the job started and recorded its run");
    // The launcher inside the allocation is killed outright: it cannot settle its run.
    String id = runId.toString();
    ProcessHandle inner = ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(id)).orElse(false))
        .findFirst().orElseThrow(() -> new AssertionError("no launcher runs " + id));
    inner.destroyForcibly();
    assertTrue(submit.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "submit returns");
    assertEquals(137, submit.exitValue(), java.nio.file.Files.readString(out)
        + java.nio.file.Files.readString(home.resolve("submit.err")));
    Map<String, Object> a = attempts(new Launcher.Result(0,
        java.nio.file.Files.readString(out), "")).get(0);
    Map<String, Object> run = row(launcher().history(), a.get("run_id"));
    assertEquals(runId, a.get("run_id"));
    assertEquals(null, a.get("outcome"), "no report from a launcher killed outright");
    assertEquals("interrupted", run.get("outcome"), "settled from Slurm's word: " + a);
    assertEquals(137, ((Number) run.get("exit_code")).intValue());
  }

  @Test
  void aJobIsGivenNoMoreTimeThanItsPartitionAllows() throws Exception {
    // A first run would get the static 24 h; the partition allows 5 minutes, and a job asking
    // for more would stay pending for ever.
    Launcher.Result r = launcher().run("submit", "--wait", "--json", "--partition", "short",
        "--", "sh", "-c", "exit 0");
    assertEquals(0, r.exitCode(), r.stderr());
    Map<String, Object> a = attempts(r).get(0);
    assertEquals(5 * 60 - 60, ((Number) a.get("timeout_seconds")).longValue());
    String job = SLURM.client("scontrol", "show", "job", "-o", (String) a.get("job_id"));
    assertTrue(job.contains("TimeLimit=00:05:00") && job.contains("Partition=short"), job);
  }

  @Test
  void aWaitStoppedByASignalHandsItsJobToABackgroundFollower() throws Exception {
    Process submit = launcher().builder(List.of("submit", "--wait", "--analysis-id",
        "handed", "--", "python3", Launcher.job("hog.py").toString(), "20", "6"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(home.resolve("handed.err").toFile()).start();
    try {
      String running = "";
      for (int i = 0; i < 150 && !running.contains("R"); i++) {
        Thread.sleep(200);
        running = SLURM.client("squeue", "--noheader", "--name=forge-handed", "--format=%t");
      }
      assertTrue(running.contains("R"), "the job runs: " + running);
      submit.destroy(); // SIGTERM, as a closed terminal or Ctrl-C (SIGINT) would
      assertTrue(submit.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
      String err = java.nio.file.Files.readString(home.resolve("handed.err"));
      assertTrue(err.contains("interrupted; job") && err.contains("followed in the background"),
          err);
      List<String> outcomes = List.of();
      for (int i = 0; i < 150 && !outcomes.contains("ok"); i++) {
        Thread.sleep(200);
        outcomes = launcher().history().stream()
            .filter(row -> row.get("analysis_id").equals("handed"))
            .map(row -> (String) row.get("outcome")).toList();
      }
      assertEquals(List.of("ok"), outcomes, "the job ran to its end, recorded once");
    } finally {
      submit.destroyForcibly();
      ProcessHandle.allProcesses().filter(p -> p.info().arguments()
          .map(a -> List.of(a).contains("--follow") && List.of(a).contains("handed"))
          .orElse(false)).forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aJobThatCanNeverStartIsCancelledInOneLine() throws Exception {
    // More CPUs than the node has: Slurm leaves it pending for ever (PartitionConfig).
    Launcher.Result r = launcher().run("submit", "--wait", "--cpus", "64", "--analysis-id",
        "stuck", "--", "sh", "-c", "exit 0");
    assertEquals(125, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("can never start") && r.stderr().contains("cancelled it"),
        r.stderr());
    assertEquals("", SLURM.client("squeue", "--noheader", "--name=forge-stuck",
        "--states=PENDING,RUNNING"), "nothing of it left in the queue");
  }

  @Test
  @SuppressWarnings("unchecked")
  void doctorSaysWhetherSlurmAnswersAndWhatItsDefaultPartitionOffers() throws Exception {
    Launcher.Result r = launcher().run("doctor", "--json");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("answers; default partition forge: largest node " + SlurmCluster.NODE_MB
        + " MB, time limit none (sinfo)", Json.readObject(r.stdout()).get("slurm"));
    Launcher.Result away = launcher().env("SLURM_CONF", home.resolve("none.conf").toString())
        .run("doctor", "--json");
    assertTrue(String.valueOf(Json.readObject(away.stdout()).get("slurm"))
        .startsWith("does not answer"), away.stdout());
  }
}
