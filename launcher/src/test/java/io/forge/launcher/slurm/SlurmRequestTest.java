package io.forge.launcher.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code submit} reads the user's sbatch options, Slurm's units and the job's state. */
class SlurmRequestTest {

  private static final String RUN = "0b5e8c1a-3f2d-4e6a-9c1b-2d3e4f5a6b7c";

  @Test
  void forgeSetsMemoryTimeNameCommentAndNoRequeueWhenTheUserSaysNothing() {
    SbatchRequest r = new SbatchRequest(List.of());
    assertEquals(List.of("--mem=164M", "--time=3", "--job-name=forge-x", "--comment=forge-run="
        + RUN, "--no-requeue", "--partition=short", "--cpus-per-task=2"),
        r.options("forge-x", RUN, 99.2, 90, "short", 2));
    assertNull(r.memoryBoundMb(1));
    assertNull(r.timeoutBoundS());
  }

  @Test
  void theUsersOptionsWinAndTheirMemIsAnUpperBound() {
    SbatchRequest r = new SbatchRequest(List.of("--mem=1G", "-t", "30", "-J", "mine",
        "--comment=x", "--no-requeue", "-p", "long", "-c4", "--account", "lab"));
    // --mem is replaced by Forge's (at most the user's); everything else passes as given.
    assertEquals(List.of("--mem=264M", "-t", "30", "-J", "mine", "--comment=x", "--no-requeue",
        "-p", "long", "-c4", "--account", "lab"),
        r.options("forge-x", RUN, 200, 90, "short", 2));
    assertEquals(1024 - SbatchRequest.LAUNCHER_MB, r.memoryBoundMb(1));
    assertEquals(30 * 60 - SbatchRequest.LAUNCHER_S, r.timeoutBoundS());
    assertEquals("long", r.partition("short"));
  }

  @Test
  void memoryPerCpuLeavesMemToTheUserAndBoundsTheCap() {
    SbatchRequest r = new SbatchRequest(List.of("--mem-per-cpu", "500", "--cpus-per-task=2"));
    assertFalse(r.options("n", RUN, 100, 60, null, null).stream()
        .anyMatch(o -> o.startsWith("--mem=")));
    assertEquals(1000 - SbatchRequest.LAUNCHER_MB, r.memoryBoundMb(1));
  }

  @Test
  void refusesWhatForgeDoesItselfAndWhatItCannotRead() {
    for (List<String> bad : List.of(List.of("--wrap=ls"), List.of("--wait"), List.of("-W"),
        List.of("--array=1-3"), List.of("-a1-3"), List.of("--requeue"),
        List.of("--mem-per-gpu=4G"), List.of("--account=lab", "python3", "x.py"),
        List.of("-t", "30", "python3"), List.of("-c", "two"), List.of("--mem=lots"),
        List.of("--time", "soon"), List.of("--mem=40M"), List.of("-t"))) {
      assertThrows(IllegalArgumentException.class,
          () -> new SbatchRequest(bad).memoryBoundMb(1), bad.toString());
    }
    assertNull(new SbatchRequest(List.of("--time=UNLIMITED")).timeoutBoundS());
    assertNull(new SbatchRequest(List.of("-t", "0")).timeoutBoundS(), "0 is no limit");
  }

  @Test
  void aTimeBeyondThePartitionsLimitIsRefusedBeforeSubmitting() {
    new SbatchRequest(List.of("-t", "120")).checkTimeWithin(7200.0, "main");
    new SbatchRequest(List.of("-t", "200")).checkTimeWithin(null, "main");
    new SbatchRequest(List.of()).checkTimeWithin(60.0, "tiny");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SbatchRequest(List.of("-t", "200")).checkTimeWithin(7200.0, "main"));
    assertTrue(e.getMessage().contains("200 min") && e.getMessage().contains("main (120 min)"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SbatchRequest(List.of("--time=UNLIMITED")).checkTimeWithin(7200.0, "main"));
    assertEquals(7140, SbatchRequest.within(java.util.OptionalDouble.of(7200)));
    assertNull(SbatchRequest.within(java.util.OptionalDouble.empty()));
  }

  @Test
  void readsSlurmsUnits() {
    assertEquals(4096, SlurmUnits.megabytes("4G", 'M').getAsDouble());
    assertEquals(500, SlurmUnits.megabytes("500", 'M').getAsDouble());
    assertEquals(1, SlurmUnits.megabytes("1024K", 'M').getAsDouble());
    assertTrue(SlurmUnits.megabytes("", 'K').isEmpty());
    assertTrue(SlurmUnits.megabytes("-3M", 'M').isEmpty());
    assertEquals(90 * 60, SlurmUnits.limitSeconds("90").getAsDouble());
    assertEquals(90, SlurmUnits.limitSeconds("1:30").getAsDouble());
    assertEquals(5400, SlurmUnits.limitSeconds("1:30:00").getAsDouble());
    assertEquals(2 * 86400, SlurmUnits.limitSeconds("2-00").getAsDouble());
    assertEquals(86400 + 3600 + 120, SlurmUnits.limitSeconds("1-01:02").getAsDouble());
    assertTrue(SlurmUnits.limitSeconds("INFINITE").isEmpty());
    assertEquals(66, SlurmUnits.durationSeconds("00:01:06").getAsDouble());
    assertEquals(0.207, SlurmUnits.durationSeconds("00:00.207").getAsDouble(), 1e-9);
    assertTrue(SlurmUnits.durationSeconds("12").isEmpty());
    assertEquals("2", SlurmUnits.time(61));
    assertEquals("1", SlurmUnits.time(1));
    assertEquals("101M", SlurmUnits.mem(100.2));
  }

  @Test
  void readsScontrolsOneLineJob() {
    String line = "JobId=10 JobName=forge-mem.py UserId=root(0) JobState=FAILED Reason=None"
        + " Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 ExitCode=137:0 RunTime=00:00:01"
        + " Comment=forge-run=" + RUN + "  StdOut=/tmp/sl/jobs/slurm-10.out Power=";
    JobStatus s = JobStatus.parse(line).orElseThrow();
    assertEquals("10", s.jobId());
    assertEquals("FAILED", s.state());
    assertEquals(137, s.exitCode());
    assertTrue(s.ended());
    assertFalse(JobStatus.parse(line.replace("FAILED", "PENDING")).orElseThrow().ended());
    assertTrue(JobStatus.parse("slurm_load_jobs error: Invalid job id specified").isEmpty());
    assertTrue(JobStatus.parse(line.replace("FAILED Reason=None", "PENDING"
        + " Reason=PartitionTimeLimit")).orElseThrow().stuck(), "waits for ever");
    assertFalse(JobStatus.parse(line.replace("FAILED Reason=None", "PENDING"
        + " Reason=Resources")).orElseThrow().stuck());
  }

  @Test
  void theBatchScriptRunsTheCommandThroughTheLauncherWordForWord(@TempDir Path dir)
      throws Exception {
    String script = BatchScript.of(List.of("/opt/forge/forge-launch"), RUN,
        new Retries.Sizing(123.45, 60), "it's mine", dir.resolve("r.json"),
        List.of(dir.resolve("in put.csv")), List.of("python3", "x.py", "a b", "$HOME",
            "q'uote"));
    Path file = dir.resolve("job.sh");
    Files.writeString(file, script.replace("exec /opt/forge/forge-launch",
        "exec printf '%s\\n'"));
    Process p = new ProcessBuilder("sh", file.toString()).start();
    List<String> words = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertEquals(0, p.waitFor());
    assertEquals(List.of("run", "--mode", "enforce", "--run-id", RUN, "--memory-limit-mb",
        "123.5", "--timeout-s", "60.0", "--analysis-id", "it's mine", "--json-report",
        dir.resolve("r.json").toString(), "--input", dir.resolve("in put.csv").toString(), "--",
        "python3", "x.py", "a b", "$HOME", "q'uote"),
        words);
  }
}
