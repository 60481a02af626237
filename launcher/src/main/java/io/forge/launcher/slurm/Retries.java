package io.forge.launcher.slurm;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.Settlement;
import io.forge.model.predict.PeakEvidence;
import java.time.Instant;

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
   * replanned timeout and twice the last, within the user's bounds; the same limits after a
   * preemption or a node failure.
   */
  public static Sizing next(Verdict verdict, Sizing last, double plannedCapMb, double plannedTimeoutS,
      Double memoryBoundMb, Double timeoutBoundS) {
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
   * How an attempt ended, from its launcher's report when there is one (it knows a Forge cap
   * or timeout from the job's own exit) and from Slurm's state otherwise.
   */
  public static Verdict verdict(JobStatus end, Report report) {
    switch (end.state()) {
      case "NODE_FAIL", "PREEMPTED", "BOOT_FAIL":
        return Verdict.UNCHANGED;
      case "OUT_OF_MEMORY":
        return Verdict.MEMORY;
      case "TIMEOUT", "DEADLINE":
        return Verdict.TIME;
      case "CANCELLED":
        return Verdict.DONE;
      default:
        break;
    }
    String outcome = report != null ? report.outcome() : null;
    int code = report != null ? report.exitCode() : end.exitCode();
    if ("oom_killed".equals(outcome) || (report == null && code == ExitCodes.MEMORY_CAP)) {
      return Verdict.MEMORY;
    }
    if ("timed_out".equals(outcome) || (report == null && code == ExitCodes.TIMED_OUT)) {
      return Verdict.TIME;
    }
    return Verdict.DONE;
  }

  /**
   * The code an attempt ends {@code submit --wait} with, as a launch would: the job's own,
   * 137 for a memory kill, 124 for a timeout, 128 + the signal that ended it (143 when it was
   * cancelled before it could say).
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
   * peak is at least the cap it died at (censored, as a launch records it).
   */
  public static Settlement orphan(String state, int exitCode, Sacct.Job accounted, double capMb,
      Instant now) {
    Outcome outcome = switch (state) {
      case "OUT_OF_MEMORY" -> Outcome.OOM_KILLED;
      case "TIMEOUT", "DEADLINE" -> Outcome.TIMED_OUT;
      case "CANCELLED", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL" -> Outcome.INTERRUPTED;
      default -> exitCode > 128 ? Outcome.INTERRUPTED : Outcome.FAILED;
    };
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
}
