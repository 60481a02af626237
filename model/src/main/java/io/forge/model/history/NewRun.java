package io.forge.model.history;

import io.forge.model.features.Features;
import io.forge.model.predict.Prediction;
import java.time.Instant;
import java.util.Objects;

/**
 * A run as recorded before it starts.
 *
 * @param runId unique id chosen by the recorder (makes a retried insert idempotent)
 * @param analysisId the analysis it belongs to
 * @param features its features at prediction time (script features and inputs are stored)
 * @param prediction the prediction made for it, null for imported runs that had none
 * @param mode {@code dry-run}, {@code enforce}, {@code deterministic} or {@code import}
 * @param memoryLimitMb memory cap applied, null when none
 * @param timeoutSeconds timeout applied, null when none
 * @param mechanism how the cap is enforced ({@code cgroup-v2}, {@code cgroup-v1}, {@code
 *     watchdog}, {@code none}, …)
 * @param command the command line, for people reading the history (may be null)
 * @param source who recorded it: {@code launcher}, {@code agent}, {@code api}, {@code import}
 * @param label a grouping label (imports: the trace's workflow), may be null
 * @param importKey de-duplication key for imported rows, null otherwise
 * @param predictedAt when the prediction was made
 */
public record NewRun(
    String runId,
    String analysisId,
    Features features,
    Prediction prediction,
    String mode,
    Double memoryLimitMb,
    Double timeoutSeconds,
    String mechanism,
    String command,
    String source,
    String label,
    String importKey,
    Instant predictedAt) {

  /**
   * A new run id: a random version-4 UUID from {@link
   * java.util.concurrent.ThreadLocalRandom} (seeded per process from the clock) — unique enough
   * for run ids, and it spares every launch the ≈ 20 ms {@code SecureRandom} start-up of {@code
   * UUID.randomUUID()}. Every recorder (launcher, agent, API) takes its ids here.
   */
  public static String newRunId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(msb, lsb).toString();
  }

  /**
   * Whether {@code id} has the form {@link #newRunId} gives (a UUID in lower case). Checked by
   * hand: a Slurm job's launch reads its run id here, and a launch compiles no regular
   * expression.
   */
  public static boolean isRunId(String id) {
    if (id == null || id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Maximum stored length of an analysis id. */
  public static final int MAX_ANALYSIS_ID = 512;

  /** Validates the components. */
  public NewRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(analysisId, "analysisId");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(predictedAt, "predictedAt");
    if (analysisId.isBlank() || analysisId.length() > MAX_ANALYSIS_ID) {
      throw new IllegalArgumentException(
          "analysis id must be 1.." + MAX_ANALYSIS_ID + " characters, got " + analysisId.length());
    }
    if (command != null && command.length() > 4000) {
      command = command.substring(0, 3997) + "...";
    }
  }
}
