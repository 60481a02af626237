package io.forge.model.train;

import io.forge.model.Usage;
import io.forge.model.features.Features;
import java.util.Objects;

/**
 * One settled run as the trainer sees it: the features known when it was predicted and what
 * it actually used.
 *
 * @param features features at prediction time (prior runs included)
 * @param actual measured usage
 */
public record TrainingRow(Features features, Usage actual) {

  /** Validates the components. */
  public TrainingRow {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(actual, "actual");
  }
}
