package io.forge.launcher.run;

import io.forge.model.Outcome;

/**
 * The one mapping between how a job ended and the codes that say so: {@link #of} turns an exit
 * (and Forge's own stops) into the recorded outcome, {@link #exitCode} an outcome into what
 * {@code forge-launch} exits with, and {@link #reported} reads the codes of a process that
 * follows the same conventions (a {@code forge-launch} started by {@code batch}, an executor
 * whose result carries an exit code).
 */
public final class Outcomes {

  private Outcomes() {}

  /**
   * How an ended job ended.
   *
   * @param exitCode its exit status (128 + N when a signal N ended it)
   * @param timedOut Forge's timeout stopped it
   * @param capHit Forge's memory cap (or the kernel at the cap) killed it
   * @param interrupted its user's signal reached it while it ran
   */
  public static Outcome of(int exitCode, boolean timedOut, boolean capHit,
      boolean interrupted) {
    if (timedOut) {
      return Outcome.TIMED_OUT;
    }
    if (capHit) {
      return Outcome.OOM_KILLED;
    }
    if (interrupted) {
      return Outcome.INTERRUPTED; // only part of a run, whatever its exit code says
    }
    return exitCode == 0 ? Outcome.OK : Outcome.FAILED;
  }

  /** What {@code forge-launch} exits with: Forge's own stops, else the job's own code. */
  public static int exitCode(Outcome outcome, int jobExitCode) {
    return switch (outcome) {
      case TIMED_OUT -> ExitCodes.TIMED_OUT;
      case OOM_KILLED -> ExitCodes.MEMORY_CAP;
      case REJECTED -> ExitCodes.REFUSED;
      default -> jobExitCode;
    };
  }

  /**
   * The outcome an exit code reports under {@code forge-launch}'s conventions ({@value
   * ExitCodes#TIMED_OUT}: timed out, {@value ExitCodes#MEMORY_CAP}: killed at its cap); null
   * (nothing reported) counts as success, a thrown call as a failure.
   */
  public static Outcome reported(Integer exitCode, boolean threw) {
    if (threw) {
      return Outcome.FAILED;
    }
    if (exitCode == null || exitCode == 0) {
      return Outcome.OK;
    }
    return switch (exitCode) {
      case ExitCodes.TIMED_OUT -> Outcome.TIMED_OUT;
      case ExitCodes.MEMORY_CAP -> Outcome.OOM_KILLED;
      default -> Outcome.FAILED;
    };
  }
}
