package io.forge.model.features;

import io.forge.model.Runtimes;
import java.util.Objects;

/**
 * Everything the model is told about one job before it runs. Turned into a numeric vector by
 * {@link FeatureLayout}.
 *
 * @param runtime canonical runtime name ({@link Runtimes#KNOWN})
 * @param script what the script's text says
 * @param inputCount number of input artifacts
 * @param inputTotalMb their summed size, MB
 * @param inputMaxMb the largest one, MB
 * @param prior the analysis's earlier settled runs
 */
public record Features(
    String runtime,
    ScriptFeatures script,
    int inputCount,
    double inputTotalMb,
    double inputMaxMb,
    PriorRuns prior) {

  /** Validates the components. */
  public Features {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(prior, "prior");
    if (!Runtimes.KNOWN.contains(runtime)) {
      throw new IllegalArgumentException(
          "runtime must be canonical (" + Runtimes.KNOWN + "), got " + runtime);
    }
    if (inputCount < 0 || !(inputTotalMb >= 0) || !(inputMaxMb >= 0)
        || !Double.isFinite(inputTotalMb) || !Double.isFinite(inputMaxMb)) {
      throw new IllegalArgumentException("input statistics must be finite and >= 0");
    }
  }

  /** The same job with a different prior-run summary. */
  public Features withPrior(PriorRuns newPrior) {
    return new Features(runtime, script, inputCount, inputTotalMb, inputMaxMb, newPrior);
  }
}
