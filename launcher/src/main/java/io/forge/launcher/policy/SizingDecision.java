package io.forge.launcher.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the policy decided for one job.
 *
 * @param refused true when the job must not start (it cannot fit the host)
 * @param limits the limits to run under (none when refused)
 * @param note one line for the user when something deserves attention (a refusal, a refusal
 *     that dry-run mode did not carry out, a cap lowered to the host budget), else null
 */
public record SizingDecision(boolean refused, Limits limits, String note) {

  /** Validates the components. */
  public SizingDecision {
    Objects.requireNonNull(limits, "limits");
    if (refused && note == null) {
      throw new IllegalArgumentException("a refusal needs its reason");
    }
  }

  /** The decision as {@code predict --json} and the API show it. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("refused", refused);
    j.put("memory_limit_mb", limits.memoryLimitMb());
    j.put("timeout_seconds", limits.timeoutSeconds());
    j.put("source", limits.source());
    j.put("note", note);
    return j;
  }
}
