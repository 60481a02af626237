package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher jar wrapping real processes. */
@EnabledOnOs(OS.LINUX)
class LauncherIT {

  @TempDir Path home;

  private Launcher launcher() {
    return new Launcher(home);
  }

  private static String hog() {
    return Launcher.job("hog.py").toString();
  }

  private boolean hasCgroups() throws Exception {
    Launcher.Result r = launcher().run("doctor", "--json");
    return r.stdout().contains("\"enforcement\":\"cgroup-v");
  }

  @Test
  void exitCodeAndStdoutAreTheJobsOwn() throws Exception {
    Launcher.Result r = launcher().run("--", "sh", "-c", "echo out; echo err >&2; exit 7");
    assertEquals(7, r.exitCode());
    assertEquals("out\n", r.stdout());
    assertTrue(r.stderr().startsWith("err\n"), r.stderr());
    assertTrue(r.stderr().contains("forge: sh "), "one summary line: " + r.stderr());
    assertEquals("failed", launcher().history().get(0).get("outcome"));
  }

  @Test
  void stdinReachesTheJob() throws Exception {
    Launcher.Result r = launcher().runWithInput("hello forge\n", "--quiet", "--", "python3", "-c",
        "import sys; print(sys.stdin.read().upper(), end='')");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("HELLO FORGE\n", r.stdout());
    assertEquals("", r.stderr(), "--quiet prints nothing of Forge's own");
  }

  @Test
  void memoryHogIsKilledAtItsCapOnTheCgroupPath() throws Exception {
    assumeTrue(hasCgroups(), "no writable memory cgroup on this host");
    Path report = home.resolve("report.json");
    Launcher.Result r = launcher().run("--mode", "deterministic", "--memory-limit-mb", "120",
        "--json-report", report.toString(), "--", "python3", hog(), "400", "5");
    assertEquals(137, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("forge: memory cap 120 MB exceeded"), r.stderr());
    Map<String, Object> json = Launcher.report(report);
    assertEquals("oom_killed", json.get("outcome"));
    assertTrue(String.valueOf(json.get("limits")).contains("cgroup-v"), json.toString());
    assertEquals("oom_killed", launcher().history().get(0).get("outcome"));
  }

  @Test
  void memoryHogIsKilledAtItsCapOnTheWatchdogPath() throws Exception {
    Path report = home.resolve("report.json");
    Launcher.Result r = launcher().env("FORGE_ENFORCEMENT", "watchdog")
        .run("--mode", "deterministic", "--memory-limit-mb", "120", "--json-report",
            report.toString(), "--", "python3", hog(), "400", "5");
    assertEquals(137, r.exitCode(), r.stderr());
    Map<String, Object> json = Launcher.report(report);
    assertEquals("oom_killed", json.get("outcome"));
    assertTrue(String.valueOf(json.get("limits")).contains("mechanism=watchdog"),
        json.toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> actual = (Map<String, Object>) json.get("actual");
    assertTrue(((Number) actual.get("wall_seconds")).doubleValue() < 5,
        "killed before the job's 5 s hold: " + actual);
  }

  /**
   * Regression: a job that grew only after the watchdog's schedule had backed off passed its
   * 100 MB cap to 321 MB before the next poll. Near its cap it polls as fast as the job grows.
   */
  @Test
  void theWatchdogStopsALateGrowingJobCloseToItsCap() throws Exception {
    Path report = home.resolve("late.json");
    Launcher.Result r = launcher().env("FORGE_ENFORCEMENT", "watchdog")
        .run("--mode", "deterministic", "--memory-limit-mb", "120", "--json-report",
            report.toString(), "--", "bash", "-c", "sleep 3; exec python3 " + hog() + " 600 5");
    assertEquals(137, r.exitCode(), r.stderr());
    @SuppressWarnings("unchecked")
    Map<String, Object> actual = (Map<String, Object>) Launcher.report(report).get("actual");
    double peak = ((Number) actual.get("peak_rss_mb")).doubleValue();
    // hog.py grows about 300 MB/s: at the 800 ms of the backed-off schedule that was 240 MB
    // past the cap; polling as it nears the cap leaves a few tens.
    assertTrue(peak < 1.5 * 120, "killed at " + peak + " MB for a 120 MB cap");
  }

  @Test
  void timeoutStopsTheJobWithExit124NearTheLimit() throws Exception {
    long start = System.nanoTime();
    Launcher.Result r = launcher().run("--mode", "deterministic", "--timeout-s", "2", "--",
        "sleep", "60");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(124, r.exitCode(), r.stderr());
    assertTrue(seconds < 15, "took " + seconds + " s");
    assertEquals("timed_out", launcher().history().get(0).get("outcome"));
  }

  @Test
  void refusedJobNeverStartsAndExits69() throws Exception {
    // Two dry-runs teach the history that this analysis peaks near 200 MB (one run alone may
    // be an outlier: it refuses nothing).
    Path marker = home.resolve("marker.txt");
    for (int i = 0; i < 2; i++) {
      assertEquals(0, launcher().run("--quiet", "--", "python3", hog(), "200", "0.1",
          marker.toString()).exitCode());
      Files.delete(marker);
    }
    Launcher.Result r = launcher().env("FORGE_HOST_BUDGET_MB", "40")
        .run("--mode", "enforce", "--", "python3", hog(), "200", "0.1", marker.toString());
    assertEquals(69, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("refused") && r.stderr().contains("40 MB"), r.stderr());
    assertFalse(Files.exists(marker), "the job must not have started");
    assertEquals("rejected", launcher().history().get(0).get("outcome"));
  }

  /** Regression: in enforce, --memory-limit-mb and --timeout-s were silently ignored. */
  @Test
  void inEnforceTheUsersOwnLimitsBoundThePredictedOnesAndTheSummarySaysSo() throws Exception {
    assertEquals(0, launcher().run("--quiet", "--", "python3", hog(), "40", "0.1").exitCode());
    double peak = ((Number) launcher().history().get(0).get("actual_rss_mb")).doubleValue();
    long asked = Math.round(1.2 * peak); // below the predicted 1.5 x peak, above the job's need
    Launcher.Result r = launcher().run("--mode", "enforce", "--memory-limit-mb", "" + asked,
        "--timeout-s", "45", "--", "python3", hog(), "40", "0.1");
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("cap " + asked + " MB (your limit)"), r.stderr());
    Map<String, Object> row = launcher().history().get(0);
    assertEquals((double) asked, ((Number) row.get("memory_limit_mb")).doubleValue());
    assertEquals(45.0, ((Number) row.get("timeout_s")).doubleValue(), "below the 60 s minimum");
  }

  @Test
  void threeHundredMegabytesMeasuredWithinTenPercentOfGnuTime() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/time")), "/usr/bin/time not installed");
    Process time = new ProcessBuilder("/usr/bin/time", "-v", "python3", hog(), "300", "0.3")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(false)
        .start();
    String timeOut = new String(time.getErrorStream().readAllBytes());
    assertTrue(time.waitFor(60, TimeUnit.SECONDS));
    Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(timeOut);
    assertTrue(m.find(), timeOut);
    double gnuMb = Long.parseLong(m.group(1)) / 1024.0;

    Path report = home.resolve("report.json");
    assertEquals(0, launcher().run("--quiet", "--json-report", report.toString(), "--",
        "python3", hog(), "300", "0.3").exitCode());
    @SuppressWarnings("unchecked")
    Map<String, Object> actual = (Map<String, Object>) Launcher.report(report).get("actual");
    double forgeMb = ((Number) actual.get("peak_rss_mb")).doubleValue();
    assertTrue(Math.abs(forgeMb - gnuMb) / gnuMb <= 0.10,
        "forge " + forgeMb + " MB vs GNU time " + gnuMb + " MB (" + actual + ")");
  }

  @Test
  void threeChildrenOfOneHundredMegabytesAreMeasuredAsOneTree() throws Exception {
    Path report = home.resolve("report.json");
    assertEquals(0, launcher().run("--quiet", "--json-report", report.toString(), "--",
        "python3", Launcher.job("forker.py").toString(), "3", "100", "", "1.5").exitCode());
    @SuppressWarnings("unchecked")
    Map<String, Object> actual = (Map<String, Object>) Launcher.report(report).get("actual");
    double peak = ((Number) actual.get("peak_rss_mb")).doubleValue();
    assertTrue(peak >= 300 && peak < 420, "tree peak " + peak + " MB: " + actual);
  }

  @Test
  void sigtermToTheLauncherEndsTheWholeTreeAndSettlesTheRow() throws Exception {
    Path pids = home.resolve("pids.txt");
    Process p = launcher().builder(List.of("--", "python3",
            Launcher.job("forker.py").toString(), "2", "10", pids.toString(), "120"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(home.resolve("sigterm-err.txt").toFile())
        .start();
    for (int i = 0; i < 200 && !Files.exists(pids); i++) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(pids), "job never started");
    Thread.sleep(300);
    List<Long> jobPids = new ArrayList<>();
    for (String line : Files.readAllLines(pids)) {
      jobPids.add(Long.parseLong(line.trim()));
    }
    p.destroy(); // SIGTERM to the launcher only
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher did not exit");
    assertEquals(143, p.exitValue());
    for (long pid : jobPids) {
      assertFalse(running(pid), "job process " + pid + " outlived the launcher");
    }
    Map<String, Object> row = launcher().history().get(0);
    assertFalse("running".equals(row.get("outcome")), row.toString());
    assertTrue(row.get("settled_at") != null, row.toString());
  }

  @Test
  void sigintToTheLauncherReachesTheJobAsSigintAndItsOwnExitCodeComesBack() throws Exception {
    Path out = home.resolve("trap.out");
    Path ready = home.resolve("trap.ready");
    Process p = launcher().builder(List.of("--", "python3", Launcher.job("trap.py").toString(),
            ready.toString()))
        .redirectOutput(out.toFile())
        .redirectError(home.resolve("trap.err").toFile())
        .start();
    for (int i = 0; i < 300 && !Files.exists(ready); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(ready), "the job never installed its signal handlers");
    Process kill = new ProcessBuilder("kill", "-s", "INT", Long.toString(p.pid())).start();
    assertEquals(0, kill.waitFor());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher did not exit");
    assertEquals(42, p.exitValue(), Files.readString(home.resolve("trap.err")));
    assertTrue(Files.readString(out).contains("got SIGINT"), Files.readString(out));
    Map<String, Object> row = launcher().history().get(0);
    assertEquals(42, ((Number) row.get("exit_code")).intValue(), row.toString());
    assertEquals("interrupted", row.get("outcome"), "stopped by its user: no training row");
  }

  /** Runs the launcher in a real pseudo-terminal and interrupts it ({@code pty_run.py}). */
  private Launcher.Result inATerminal(String how) throws Exception {
    Path ready = home.resolve("cleanup.ready");
    List<String> command = new ArrayList<>(List.of("python3",
        Launcher.job("pty_run.py").toString(), how, ready.toString()));
    command.addAll(launcher().builder(List.of("--", "python3",
        Launcher.job("cleanup.py").toString(), ready.toString())).command());
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().put("FORGE_HOME", home.toString());
    pb.environment().put("XDG_CACHE_HOME", Launcher.cache().toString());
    Path out = home.resolve("pty.out");
    Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "hung: " + Files.readString(out));
    return new Launcher.Result(p.exitValue(), Files.readString(out), "");
  }

  /**
   * Regression: a Ctrl-C typed in a terminal reached a Python job twice (the terminal signals
   * the job's process group, and the launcher passed its own copy on), so the job's cleanup died
   * of a KeyboardInterrupt (exit 130 instead of 42).
   */
  @Test
  void ctrlCInATerminalReachesTheJobOnceAndItsCleanupCompletes() throws Exception {
    Launcher.Result r = inATerminal("ctrl-c");
    assertTrue(r.stdout().contains("cleanup done"), r.stdout());
    assertFalse(r.stdout().contains("KeyboardInterrupt"), r.stdout());
    assertEquals(42, r.exitCode(), r.stdout());
    Map<String, Object> row = launcher().history().get(0);
    assertEquals("interrupted", row.get("outcome"), row.toString());
    assertEquals(42, ((Number) row.get("exit_code")).intValue());
  }

  @Test
  void sigintSentFromElsewhereToALauncherInATerminalStillReachesTheJob() throws Exception {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Launcher.jar().toFile())) {
      assumeTrue(jar.getEntry("io/forge/launcher/run/native/linux-"
          + System.getProperty("os.arch") + "/libforgesignals.so") != null,
          "built without a C compiler: a launcher in a terminal's foreground cannot tell a"
              + " kill from a Ctrl-C (see doctor)");
    }
    Launcher.Result r = inATerminal("kill");
    assertTrue(r.stdout().contains("cleanup done"), r.stdout());
    assertEquals(42, r.exitCode(), r.stdout());
  }

  /**
   * Regression: after {@code kill -9} of its launcher a job ran on, unmeasured, reparented to
   * PID 1, its memory cap still in force, and its cgroups stayed forever. Its first process
   * now dies with the launcher; what it started is killed, and its cgroups removed, by the
   * next Forge command.
   */
  @Test
  void nothingOfAJobOutlivesALauncherKilledWithSigkill() throws Exception {
    assumeTrue(io.forge.launcher.run.ParentDeath.available(), "setpriv (util-linux) missing");
    Process p = launcher().builder(List.of("--mode", "enforce", "--memory-limit-mb", "500",
            "--", "bash", "-c", "sleep 300 & sleep 300 & wait"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<ProcessHandle> job = new ArrayList<>();
    for (int i = 0; i < 100 && job.size() < 3; i++) {
      Thread.sleep(100);
      job.clear();
      p.toHandle().descendants().forEach(job::add);
    }
    assertEquals(3, job.size(), "bash and its two sleeps: " + job);
    ProcessHandle first = job.stream().filter(h -> h.parent().map(ProcessHandle::pid)
        .orElse(-1L) == p.pid()).findFirst().orElseThrow();
    long launcherPid = p.pid();
    p.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    try {
      assertTrue(waitGone(first, 5), "the job's first process outlived its launcher");
      assertEquals("abandoned", launcher().history().get(0).get("outcome"));
      for (ProcessHandle h : job) {
        assertTrue(waitGone(h, 5), "still running after the next command: " + h.info());
      }
      io.forge.launcher.enforce.CgroupMounts mounts =
          io.forge.launcher.enforce.CgroupMounts.detect();
      List<Path> parents = new ArrayList<>(mounts.v1().values());
      mounts.v2().ifPresent(parents::add);
      for (Path parent : parents) {
        String[] left = parent.toFile().list((d, n) -> n.contains("-" + launcherPid + "-"));
        assertEquals(List.of(), left == null ? List.of() : List.of(left), parent.toString());
      }
    } finally {
      job.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean waitGone(ProcessHandle h, int seconds) throws InterruptedException {
    for (int i = 0; i < seconds * 20 && h.isAlive(); i++) {
      Thread.sleep(50);
    }
    return !h.isAlive();
  }

  @Test
  void aLauncherKilledWithSigkillLeavesAnAbandonedRowNotALostOne() throws Exception {
    Process p = launcher().builder(List.of("--", "sleep", "60"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<ProcessHandle> job = new ArrayList<>();
    for (int i = 0; i < 100 && job.isEmpty(); i++) {
      Thread.sleep(100);
      p.toHandle().descendants().forEach(job::add);
    }
    assertFalse(job.isEmpty(), "the job never started");
    p.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    job.forEach(ProcessHandle::destroyForcibly); // what the dead launcher could not do
    Map<String, Object> row = launcher().history().get(0);
    assertEquals("abandoned", row.get("outcome"), row.toString());
    assertEquals("sleep", row.get("analysis_id"));
  }

  /**
   * Whether a process still runs. A killed orphan may linger as a zombie until the container's
   * init reaps it; a zombie runs nothing and holds no memory, so it counts as ended.
   */
  private static boolean running(long pid) throws InterruptedException {
    for (int i = 0; i < 30; i++) {
      String stat = io.forge.launcher.measure.ProcFs.read(Path.of("/proc", pid + "", "stat"))
          .orElse("");
      int close = stat.lastIndexOf(')');
      if (close < 0 || stat.charAt(close + 2) == 'Z' || stat.charAt(close + 2) == 'X') {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  @Test
  void twentyConcurrentLaunchesGiveTwentySettledRows() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      processes.add(launcher().builder(List.of("--quiet", "--analysis-id", "concurrent-" + i,
              "--", "python3", "-c", "import time; time.sleep(0.2)"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(home.resolve("concurrent-" + i + ".err").toFile())
          .start());
    }
    for (Process p : processes) {
      assertTrue(p.waitFor(240, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
    }
    List<Map<String, Object>> rows = launcher().history();
    assertEquals(20, rows.size());
    assertTrue(rows.stream().allMatch(r -> "ok".equals(r.get("outcome"))), rows.toString());
  }
}
