package io.forge.launcher.run;

import io.forge.launcher.enforce.Enforcer;
import io.forge.launcher.measure.Measurement;
import io.forge.model.Outcome;
import io.forge.model.history.Settlement;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * The second half of a started job's life, the same for the launcher and the agent's process
 * planner: how it ended and what it used, read from its enforcer before the cgroups go.
 *
 * @param outcome how it ended ({@link Outcomes#of})
 * @param exitCode its own exit status
 * @param measurement its figures (a job killed by its cap peaked at least at the cap)
 */
public record Ending(Outcome outcome, int exitCode, Measurement measurement) {

  /**
   * Reads how an ended job ended and what it used, then closes its enforcer.
   *
   * @param enforcer the job's enforcement
   * @param timedOut Forge's timeout stopped it
   * @param exitCode its exit status
   * @param wallSeconds its wall time
   * @param fallbackCpuSeconds CPU from elsewhere when no cgroup counted it
   * @param fallbackCpuSource where that came from
   * @param interrupted its user's signal reached it
   */
  public static Ending of(Enforcer enforcer, boolean timedOut, int exitCode, double wallSeconds,
      OptionalDouble fallbackCpuSeconds, String fallbackCpuSource, boolean interrupted) {
    boolean capHit = !timedOut && enforcer.capHit();
    Measurement m = Measurement.of(enforcer.counters(), enforcer.poller(), wallSeconds,
        fallbackCpuSeconds, fallbackCpuSource);
    enforcer.close();
    Outcome outcome = Outcomes.of(exitCode, timedOut, capHit, interrupted);
    if (outcome == Outcome.OOM_KILLED) {
      m = m.atLeastCap(enforcer.limits().memoryLimitMb());
    }
    return new Ending(outcome, exitCode, m);
  }

  /** The settlement to record. */
  public Settlement settlement(Instant settledAt) {
    return new Settlement(measurement.usage(), outcome, exitCode, settledAt);
  }
}
