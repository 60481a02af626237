package io.forge.model.train;

import io.forge.model.predict.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to retrain: only with at least {@value #MIN_SETTLED_ROWS} settled runs, and then when
 * there is no model, the current one was trained on a feature layout the running code no
 * longer uses, it is {@link #MAX_AGE} old (the spec's weekly timer, kept as the floor), or
 * retraining pays: the history has grown by a quarter (at least {@value #MIN_SETTLED_ROWS} runs)
 * since, or {@value #NEW_ANALYSES} analyses have run for the first time since it was trained.
 */
public final class RetrainPolicy {

  /** Settled runs needed before a scheduled retrain happens (the spec's 100). */
  public static final int MIN_SETTLED_ROWS = 100;

  /** Age after which the model is retrained (the spec's weekly timer). */
  public static final Duration MAX_AGE = Duration.ofDays(7);

  /** Growth of the history, as a share of the rows the model was trained on, that retrains. */
  public static final double GROWTH = 0.25;

  /** Analyses first run since the model was trained that make it worth retraining. */
  public static final int NEW_ANALYSES = 10;

  /**
   * The decision and the reason, in words for the user.
   *
   * @param train whether to train now
   * @param reason why (or why not)
   */
  public record Decision(boolean train, String reason) {}

  private RetrainPolicy() {}

  /**
   * Decides whether to retrain now.
   *
   * @param settledRows runs usable for training
   * @param newAnalyses analyses whose first settled run came after the current model
   * @param current the current model
   * @param currentMatchesLayout whether it uses the running code's feature layout
   * @param now the time
   */
  public static Decision decide(int settledRows, int newAnalyses, Optional<ModelInfo> current,
      boolean currentMatchesLayout, Instant now) {
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
    int grown = settledRows - info.rowCount();
    if (grown >= Math.max(MIN_SETTLED_ROWS, GROWTH * info.rowCount())) {
      return new Decision(true, grown + " runs settled since model v" + info.version()
          + " was trained on " + info.rowCount() + " (>= 25 %)");
    }
    if (newAnalyses >= NEW_ANALYSES) {
      return new Decision(true, newAnalyses + " analyses ran for the first time since model v"
          + info.version() + " (>= " + NEW_ANALYSES + ")");
    }
    return new Decision(
        false,
        "model v" + info.version() + " is " + describe(age) + " old; next retrain due in "
            + describe(MAX_AGE.minus(age)) + ", or after "
            + (int) Math.ceil(Math.max(MIN_SETTLED_ROWS, GROWTH * info.rowCount()) - grown)
            + " more runs or " + (NEW_ANALYSES - newAnalyses) + " more new analyses");
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
