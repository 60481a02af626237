package io.forge.model;

import java.util.Locale;

/** How a recorded run ended; stored in {@code resource_prediction.outcome}. */
public enum Outcome {
  /** Recorded, not yet settled. */
  RUNNING,
  /** Exited 0. */
  OK,
  /** Exited non-zero on its own (its usage is real, so it still trains the model). */
  FAILED,
  /** Killed by Forge's memory cap or the kernel's OOM killer; its true peak is at least the cap. */
  OOM_KILLED,
  /** Stopped by Forge's timeout; its true wall time is at least the timeout. */
  TIMED_OUT,
  /**
   * Stopped by a user's signal (Ctrl-C, {@code kill}) while it ran: its usage is only part of
   * a run, so it is no measurement and never a training row.
   */
  INTERRUPTED,
  /** Refused before it started: its predicted need exceeded the host budget. */
  REJECTED,
  /** Its recorder died before settling it. */
  ABANDONED;

  /** The stored and printed name ({@code oom_killed}). */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored name. */
  public static Outcome fromDb(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** True when the run's actuals are complete measurements (not censored, not missing). */
  public boolean measuredInFull() {
    return this == OK || this == FAILED;
  }
}
