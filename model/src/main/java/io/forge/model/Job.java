package io.forge.model;

import java.util.List;
import java.util.Objects;

/**
 * A job to be predicted: what the spec's {@code predict(script_text, runtime_name,
 * input_sizes_mb)} receives, plus the analysis it belongs to.
 *
 * @param analysisId the analysis whose prior runs inform the prediction; null when unknown
 * @param runtimeName the runtime as the caller named it ({@code python3}, {@code Rscript}, …)
 * @param script the script text, or {@link ScriptText#absent()}
 * @param inputSizesMb the size of each input artifact in MB (each ≥ 0, finite)
 */
public record Job(String analysisId, String runtimeName, ScriptText script, List<Double> inputSizesMb) {

  /** Validates the components and copies the list. */
  public Job {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(inputSizesMb, "inputSizesMb");
    inputSizesMb = List.copyOf(inputSizesMb);
    for (Double size : inputSizesMb) {
      if (size == null || !Double.isFinite(size) || size < 0) {
        throw new IllegalArgumentException(
            "input sizes must be finite and >= 0 MB, got " + inputSizesMb);
      }
    }
    if (analysisId != null && analysisId.isBlank()) {
      analysisId = null;
    }
    runtimeName = runtimeName == null ? "other" : runtimeName.trim();
  }

  /** The canonical runtime ({@link Runtimes#canonical}). */
  public String runtime() {
    return Runtimes.canonical(runtimeName);
  }

  /** Number of input artifacts. */
  public int inputCount() {
    return inputSizesMb.size();
  }

  /** Sum of input sizes in MB. */
  public double inputTotalMb() {
    double total = 0;
    for (double mb : inputSizesMb) {
      total += mb;
    }
    return total;
  }

  /** Largest input in MB, 0 when there is none. */
  public double inputMaxMb() {
    double max = 0;
    for (double mb : inputSizesMb) {
      max = Math.max(max, mb);
    }
    return max;
  }
}
