package io.forge.launcher.slurm;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.Json;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.Settlement;
import io.forge.model.predict.PeakEvidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What {@code submit} makes of an attempt's end: whether it is retried and with which limits.
 * Memory kills and timeouts are retried larger, preemption and node failure unchanged, a
 * job's own failure and a cancellation never.
 */
public final class Retries {

  private Retries() {}

  /** What one attempt ended as, and what follows it. */
  public enum Verdict {
    /** Ended on its own (success or its own failure), or cancelled: nothing follows. */
    DONE,
    /** Killed by its memory cap: resubmit with a larger one. */
    MEMORY,
    /** Stopped by its time limit: resubmit with a longer one. */
    TIME,
    /** Preempted, or its node failed: resubmit as it was. */
    UNCHANGED
  }

  /** The limits of one attempt. */
  public record Sizing(double capMb, double timeoutS) {}

  /**
   * What the job's own launcher reported ({@code --json-report} of {@code run}).
   *
   * @param outcome its outcome's name ({@code ok}, {@code oom_killed}, …)
   * @param exitCode the code it exited with
   */
  public record Report(String outcome, int exitCode) {}

  /**
   * The next attempt's limits after one that ended with {@code verdict}, or null when none
   * helps: after a memory kill the larger of the replanned cap and the retry rule's ({@link
   * PeakEvidence#RETRY_FACTOR} × the cap it died at), after a timeout the longer of the
   * replanned timeout and twice the last, within the bounds (the user's, the largest node);
   * the same limits after a preemption or a node failure.
   */
  public static Sizing next(Verdict verdict, Sizing last, double plannedCapMb,
      double plannedTimeoutS, Double memoryBoundMb, Double timeoutBoundS) {
    double memBound = memoryBoundMb != null ? memoryBoundMb : Double.POSITIVE_INFINITY;
    double timeBound = timeoutBoundS != null ? timeoutBoundS : Double.POSITIVE_INFINITY;
    switch (verdict) {
      case UNCHANGED:
        return last;
      case MEMORY: {
        double cap = Math.min(memBound,
            Math.max(plannedCapMb, PeakEvidence.RETRY_FACTOR * last.capMb()));
        return cap > last.capMb() ? new Sizing(cap, Math.max(last.timeoutS(),
            Math.min(timeBound, plannedTimeoutS))) : null;
      }
      case TIME: {
        double t = Math.min(timeBound, Math.max(plannedTimeoutS, 2 * last.timeoutS()));
        return t > last.timeoutS() ? new Sizing(last.capMb(), t) : null;
      }
      default:
        return null;
    }
  }

  /**
   * How an attempt ended. The job's own launcher knows best when it ran to its end (a Forge
   * cap, a Forge timeout, the job's own exit — Slurm's cgroup plugin calls a job {@code
   * OUT_OF_MEMORY} for any OOM kill inside it, even one the job survived); when it was stopped
   * from outside ({@code interrupted}: Slurm's time limit, a preemption, {@code scancel}) or
   * left no report, Slurm's state says why, and the launcher's exit code ({@code
   * scontrol}'s, which {@code exec} makes the batch script's) tells Forge's kills apart.
   */
  public static Verdict verdict(JobStatus end, Report report) {
    if (report != null && !"interrupted".equals(report.outcome())) {
      return switch (report.outcome()) {
        case "oom_killed" -> Verdict.MEMORY;
        case "timed_out" -> Verdict.TIME;
        default -> Verdict.DONE;
      };
    }
    return switch (end.state()) {
      case "NODE_FAIL", "PREEMPTED", "BOOT_FAIL" -> Verdict.UNCHANGED;
      case "OUT_OF_MEMORY" -> Verdict.MEMORY;
      case "TIMEOUT", "DEADLINE" -> Verdict.TIME;
      case "CANCELLED" -> Verdict.DONE;
      default -> report == null && end.exitCode() == ExitCodes.MEMORY_CAP ? Verdict.MEMORY
          : report == null && end.exitCode() == ExitCodes.TIMED_OUT ? Verdict.TIME
          : Verdict.DONE;
    };
  }

  /**
   * The code an attempt ends {@code submit --wait} with, as a launch would: the job's own,
   * 137 for a memory kill, 124 for a timeout, 128 + the signal that ended it (143 when it was
   * cancelled before it could say), 125 when Slurm lost it (a failed node, a preemption, a
   * job Slurm no longer knows) and nothing says how the job itself ended.
   */
  public static int exitCode(JobStatus end, Report report, Verdict verdict) {
    if (verdict == Verdict.MEMORY) {
      return ExitCodes.MEMORY_CAP;
    }
    if (verdict == Verdict.TIME) {
      return ExitCodes.TIMED_OUT;
    }
    if (report != null) {
      return report.exitCode();
    }
    if (verdict == Verdict.UNCHANGED || end.state().equals("UNKNOWN")) {
      return ExitCodes.FORGE_FAILURE;
    }
    if (end.signal() > 0) {
      return 128 + end.signal();
    }
    if (end.state().equals("CANCELLED")) {
      return 128 + 15;
    }
    return end.exitCode();
  }

  /**
   * Whether Slurm ended the attempt in a way its launcher may not have survived to settle its
   * run: Slurm's own kills and losses, or a signal to the batch script. (A launcher that ran
   * to its end exited with a code, and settled its run itself.)
   */
  public static boolean launcherKilled(JobStatus end) {
    return end.signal() > 0 || switch (end.state()) {
      case "OUT_OF_MEMORY", "TIMEOUT", "DEADLINE", "CANCELLED", "NODE_FAIL", "PREEMPTED",
          "BOOT_FAIL" -> true;
      default -> false;
    };
  }

  /**
   * How to settle the run of an attempt whose launcher never reported (killed with its job, or
   * its node lost): from Slurm's end and, when accounting exists, {@code sacct}'s actuals —
   * whose peak, taken over the whole batch step, includes the launcher's own. A memory kill's
   * peak is at least the cap it died at (censored, as a launch records it); the exit code is
   * a launch's for a memory kill or a timeout (137, 124), else the signal's (128 + it), the
   * script's, or none when Slurm lost the job.
   */
  public static Settlement orphan(JobStatus end, Sacct.Job accounted, double capMb,
      Instant now) {
    Outcome outcome = switch (end.state()) {
      case "OUT_OF_MEMORY" -> Outcome.OOM_KILLED;
      case "TIMEOUT", "DEADLINE" -> Outcome.TIMED_OUT;
      case "CANCELLED", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL" -> Outcome.INTERRUPTED;
      default -> end.signal() > 0 ? Outcome.INTERRUPTED : Outcome.FAILED;
    };
    Integer exitCode = outcome == Outcome.OOM_KILLED ? Integer.valueOf(ExitCodes.MEMORY_CAP)
        : outcome == Outcome.TIMED_OUT ? Integer.valueOf(ExitCodes.TIMED_OUT)
        : end.signal() > 0 ? Integer.valueOf(128 + end.signal())
        : end.exitCode() > 0 ? Integer.valueOf(end.exitCode()) : null;
    Usage usage = null;
    if (accounted != null && accounted.maxRssMb().isPresent()
        && accounted.totalCpuSeconds().isPresent() && accounted.elapsedSeconds().isPresent()) {
      double peak = accounted.maxRssMb().getAsDouble();
      usage = new Usage(accounted.totalCpuSeconds().getAsDouble(),
          outcome == Outcome.OOM_KILLED ? Math.max(peak, capMb) : peak,
          accounted.elapsedSeconds().getAsDouble());
    }
    return new Settlement(usage, outcome, exitCode, now);
  }

  /**
   * The job's own report, if its launcher wrote one where this host can read it (a home on a
   * shared file system; a shared file system may show it a little late).
   */
  static Report readReport(Path file, JobStatus end) throws InterruptedException {
    // Unless the launcher surely died with its job, it has a report to write: a stopped one
    // (Slurm's time limit, scancel, a preemption) stops its job first, within seconds.
    boolean expected = end.signal() != 9
        && !Set.of("NODE_FAIL", "BOOT_FAIL", "UNKNOWN").contains(end.state());
    for (int i = 0; i < (expected ? 50 : 1); i++) {
      try {
        Map<String, Object> j = Json.readObject(Files.readString(file));
        Files.deleteIfExists(file);
        return new Report(String.valueOf(j.get("outcome")),
            ((Number) j.get("exit_code")).intValue());
      } catch (IOException | RuntimeException e) {
        if (expected) {
          Thread.sleep(200);
        }
      }
    }
    return null;
  }
}
