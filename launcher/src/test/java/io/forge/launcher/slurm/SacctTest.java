package io.forge.launcher.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Sacct} on real {@code sacct --parsable2} output (see the resource's README). */
class SacctTest {

  private static Map<String, Sacct.Job> jobs() throws IOException {
    try (InputStream in = SacctTest.class.getResourceAsStream("/slurm/sacct-parsable2.txt")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Sacct.parse(text).stream()
          .collect(Collectors.toMap(Sacct.Job::jobId, Function.identity()));
    }
  }

  @Test
  void readsOneJobPerJobLineWithItsStateAndExitCode() throws IOException {
    Map<String, Sacct.Job> jobs = jobs();
    assertEquals(10, jobs.size());
    assertEquals("COMPLETED", jobs.get("2").state());
    assertEquals("FAILED", jobs.get("3").state());
    assertEquals(3, jobs.get("3").exitCode());
    assertEquals("TIMEOUT", jobs.get("4").state());
    assertEquals(15, jobs.get("4").signal());
    assertEquals("CANCELLED", jobs.get("5").state());
    assertEquals("OUT_OF_MEMORY", jobs.get("8").state());
    assertEquals(125, jobs.get("8").signal());
    // Forge's own cap killed job 10: scontrol said ExitCode=137:0, accounting says 9:0.
    assertEquals("FAILED", jobs.get("10").state());
    assertEquals(9, jobs.get("10").exitCode());
  }

  @Test
  void takesThePeakOverTheBatchAndStepLines() throws IOException {
    Map<String, Sacct.Job> jobs = jobs();
    assertEquals(137828 / 1024.0, jobs.get("2").maxRssMb().getAsDouble(), 1e-9);
    // Steps 7.0 (64716K) and 7.1 (166968K) ran after each other in 7.batch (10760K).
    assertEquals(166968 / 1024.0, jobs.get("7").maxRssMb().getAsDouble(), 1e-9);
    // The step killed over its memory is the peak, not the batch script that ran it.
    assertEquals(423012 / 1024.0, jobs.get("6").maxRssMb().getAsDouble(), 1e-9);
    assertTrue(jobs.get("5").maxRssMb().isEmpty(), "cancelled before it ran");
    assertTrue(jobs.get("8").maxRssMb().isEmpty(), "killed before the first sample");
  }

  @Test
  void readsCpuAndElapsedFromTheJobLine() throws IOException {
    Map<String, Sacct.Job> jobs = jobs();
    assertEquals(0.207, jobs.get("2").totalCpuSeconds().getAsDouble(), 1e-9);
    assertEquals(3, jobs.get("2").elapsedSeconds().getAsDouble(), 1e-9);
    assertEquals(66, jobs.get("4").elapsedSeconds().getAsDouble(), 1e-9);
    assertEquals(0.798, jobs.get("11").totalCpuSeconds().getAsDouble(), 1e-9);
  }

  @Test
  void findsOneJobAndRefusesOutputWithoutItsColumns() {
    String text = "JobID|State|ExitCode|MaxRSS|TotalCPU|Elapsed\n"
        + "41|COMPLETED|0:0||1-02:03:04|2-00:00:01\n41.batch|COMPLETED|0:0|2G|00:01|00:02\n";
    Sacct.Job j = Sacct.job(text, "41").orElseThrow();
    assertEquals(2048, j.maxRssMb().getAsDouble(), 1e-9);
    assertEquals(93784, j.totalCpuSeconds().getAsDouble(), 1e-9);
    assertEquals(172801, j.elapsedSeconds().getAsDouble(), 1e-9);
    assertTrue(Sacct.job(text, "42").isEmpty());
    assertEquals(List.of(), Sacct.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Sacct.parse("JobID|State\n1|FAILED\n"));
  }
}
