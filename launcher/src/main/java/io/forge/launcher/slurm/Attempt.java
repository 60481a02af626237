package io.forge.launcher.slurm;

import io.forge.launcher.slurm.Retries.Report;
import io.forge.launcher.slurm.Retries.Sizing;
import io.forge.launcher.slurm.Retries.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt: its Slurm job, the run it recorded, its limits and how it ended ({@code
 * state} null while it is not followed).
 */
public record Attempt(int number, String jobId, String runId, Sizing sizing, String state,
    Integer exitCode, Report report, Sacct.Job accounted, Verdict verdict) {

  /** As JSON, one element of {@code submit --json}'s attempts. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("attempt", number);
    j.put("job_id", jobId);
    j.put("run_id", runId);
    j.put("memory_limit_mb", Math.round(sizing.capMb()));
    j.put("timeout_seconds", Math.round(sizing.timeoutS()));
    j.put("slurm_state", state);
    j.put("exit_code", exitCode);
    j.put("outcome", report == null ? null : report.outcome());
    if (accounted != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("max_rss_mb", accounted.maxRssMb().isPresent()
          ? Math.round(accounted.maxRssMb().getAsDouble() * 10) / 10.0 : null);
      a.put("total_cpu_seconds", accounted.totalCpuSeconds().isPresent()
          ? accounted.totalCpuSeconds().getAsDouble() : null);
      a.put("elapsed_seconds", accounted.elapsedSeconds().isPresent()
          ? accounted.elapsedSeconds().getAsDouble() : null);
      j.put("sacct", a);
    }
    j.put("verdict", verdict == null ? null : verdict.name().toLowerCase(java.util.Locale.ROOT));
    return j;
  }
}
