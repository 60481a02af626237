package io.forge.model.predict;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What is stored beside a trained model.
 *
 * @param version the model's version (1, 2, …; 0 for a model that was never saved)
 * @param trainedAt when training finished
 * @param rowCount settled runs it was trained on
 * @param layoutVersion {@link io.forge.model.features.FeatureLayout#VERSION} at training time
 * @param featureLayout the feature names, as {@link
 *     io.forge.model.features.FeatureLayout#describe()} printed them
 * @param holdout hold-out metrics per target ({@code cpu_seconds → {r2_log, r2, sigma_log,
 *     rows}}) and {@code sigma_by_runtime}
 */
public record ModelInfo(
    int version,
    Instant trainedAt,
    int rowCount,
    int layoutVersion,
    String featureLayout,
    Map<String, Object> holdout) {

  /** Validates the components. */
  public ModelInfo {
    Objects.requireNonNull(trainedAt, "trainedAt");
    Objects.requireNonNull(featureLayout, "featureLayout");
    holdout = Map.copyOf(holdout);
    if (version < 0 || rowCount < 0) {
      throw new IllegalArgumentException("version and rowCount must be >= 0");
    }
  }

  /** The same information under a new version number. */
  public ModelInfo withVersion(int newVersion) {
    return new ModelInfo(newVersion, trainedAt, rowCount, layoutVersion, featureLayout, holdout);
  }
}
