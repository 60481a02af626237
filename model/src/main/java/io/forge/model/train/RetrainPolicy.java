package io.forge.model.train;

import io.forge.model.predict.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The spec's weekly retrain rule: train only when at least {@value #MIN_SETTLED_ROWS} settled
 * runs exist and there is no model, or the current one is at least {@link #MAX_AGE} old, or it
 * was trained on a feature layout the running code no longer uses.
 */
public final class RetrainPolicy {

  /** Settled runs needed before a scheduled retrain happens (the spec's 100). */
  public static final int MIN_SETTLED_ROWS = 100;

  /** Age after which the model is retrained (the spec's weekly timer). */
  public static final Duration MAX_AGE = Duration.ofDays(7);

  /**
   * The decision and the reason, in words for the user.
   *
   * @param train whether to train now
   * @param reason why (or why not)
   */
  public record Decision(boolean train, String reason) {}

  private RetrainPolicy() {}

  /** Decides whether to retrain now. */
  public static Decision decide(
      int settledRows, Optional<ModelInfo> current, boolean currentMatchesLayout, Instant now) {
    if (settledRows < MIN_SETTLED_ROWS) {
      return new Decision(
          false,
          "only " + settledRows + " settled runs; retraining waits for " + MIN_SETTLED_ROWS);
    }
    if (current.isEmpty()) {
      return new Decision(true, settledRows + " settled runs and no model yet");
    }
    ModelInfo info = current.get();
    if (!currentMatchesLayout) {
      return new Decision(
          true, "model v" + info.version() + " uses an older feature layout; retraining");
    }
    Duration age = Duration.between(info.trainedAt(), now);
    if (age.compareTo(MAX_AGE) >= 0) {
      return new Decision(
          true, "model v" + info.version() + " is " + age.toDays() + " days old (>= 7)");
    }
    return new Decision(
        false,
        "model v" + info.version() + " is " + describe(age) + " old; next retrain due in "
            + describe(MAX_AGE.minus(age)));
  }

  private static String describe(Duration d) {
    if (d.toDays() >= 1) {
      return d.toDays() + " d " + d.toHoursPart() + " h";
    }
    if (d.toHours() >= 1) {
      return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
    return Math.max(0, d.toMinutes()) + " min";
  }
}
