package io.forge.model.history;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import java.time.Instant;
import java.util.Objects;

/**
 * How a recorded run ended.
 *
 * @param actual what it used; null when nothing ran ({@code rejected}) or nothing was measured
 * @param outcome how it ended (never {@code running})
 * @param exitCode the job's exit code, null when it never started
 * @param settledAt when it ended
 */
public record Settlement(Usage actual, Outcome outcome, Integer exitCode, Instant settledAt) {

  /** Validates the components. */
  public Settlement {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(settledAt, "settledAt");
    if (outcome == Outcome.RUNNING) {
      throw new IllegalArgumentException("a settlement cannot leave a run running");
    }
  }
}
