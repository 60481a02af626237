package io.forge.launcher.slurm;

import io.forge.launcher.slurm.Retries.Sizing;
import io.forge.model.history.NewRun;

/** A job submitted as a first attempt: its id, its run's id and its limits. */
public record Submitted(String jobId, String runId, Sizing sizing) {

  /** Reads {@code JOBID:RUNID:CAP_MB:TIMEOUT_S}, as {@link #toString} writes it. */
  public static Submitted parse(String text) {
    String[] f = text.split(":", -1);
    if (f.length != 4 || !f[0].matches("\\d+") || !NewRun.isRunId(f[1])) {
      throw new IllegalArgumentException("not a submitted job: " + text);
    }
    return new Submitted(f[0], f[1], new Sizing(Double.parseDouble(f[2]),
        Double.parseDouble(f[3])));
  }

  @Override
  public String toString() {
    return jobId + ":" + runId + ":" + sizing.capMb() + ":" + sizing.timeoutS();
  }
}
