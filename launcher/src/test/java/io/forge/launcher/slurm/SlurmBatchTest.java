package io.forge.launcher.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.batch.BatchJob;
import io.forge.launcher.slurm.Retries.Sizing;
import io.forge.launcher.slurm.Retries.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code batch --slurm} says at its end. */
class SlurmBatchTest {

  private static Attempt attempt(String job, double capMb, int exit, Verdict verdict) {
    return new Attempt(1, job, io.forge.model.history.NewRun.newRunId(), new Sizing(capMb, 60),
        "COMPLETED", exit, null, null, verdict);
  }

  @Test
  void theSummaryNamesTheLinesThatFailedAndCountsEveryAttempt() {
    SlurmBatch.Summary s = new SlurmBatch.Summary(List.of(
        new SlurmBatch.JobResult(new BatchJob(1, List.of("python3", "a.py"), null), "a.py",
            new Submitter.Result(List.of(attempt("7", 100, 137, Verdict.MEMORY),
                attempt("8", 200, 0, Verdict.DONE)), 0), null),
        new SlurmBatch.JobResult(new BatchJob(2, List.of("sh", "-c", "exit 3"), "fails"),
            "fails", new Submitter.Result(List.of(attempt("9", 50, 3, Verdict.DONE)), 3), null),
        new SlurmBatch.JobResult(new BatchJob(4, List.of("x"), null), "line 4", null,
            "sbatch refused the job: invalid partition")), 12.3);
    assertEquals(1, s.succeeded());
    assertEquals(3, s.attempts());
    assertEquals(100 + 200 + 50 + 3 * SbatchRequest.LAUNCHER_MB, s.requestedMb());
    String line = s.describe();
    assertTrue(line.startsWith("3 jobs: 1 succeeded, 2 failed: line 2 (fails, exit 3), line 4"
        + " (line 4, exit 125); 3 Slurm jobs asked for 542 MB in all; 12 s"), line);
  }
}
