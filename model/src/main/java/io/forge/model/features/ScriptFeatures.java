package io.forge.model.features;

import io.forge.model.ScriptText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the feature extractor learned from a script's text. Stored with every run (by name, so
 * that a later feature layout can still read it) and turned into numbers by {@link
 * FeatureLayout}.
 *
 * @param libraryTokens per library in {@link Libraries#NAMES}: import statements plus uses of
 *     the names those imports bind (absent means zero)
 * @param parallelHints occurrences of parallelism constructs ({@code n_jobs}, {@code
 *     multiprocessing}, {@code mclapply}, {@code threads}, …)
 * @param declaredWorkers the largest worker/thread count written as a literal next to such a
 *     construct, 0 when none; {@link #ALL_CORES} when the script asks for all cores ({@code
 *     n_jobs=-1}, {@code detectCores()})
 * @param scriptBytes size of the script in bytes
 * @param scriptLines number of non-blank code lines (0 when not scanned)
 * @param status whether the text was scanned or only its size is known
 */
public record ScriptFeatures(
    Map<String, Integer> libraryTokens,
    int parallelHints,
    int declaredWorkers,
    long scriptBytes,
    int scriptLines,
    ScriptText.Status status) {

  /** {@link #declaredWorkers} value meaning "as many as the host has". */
  public static final int ALL_CORES = 1024;

  /** Validates and defensively copies. */
  public ScriptFeatures {
    Objects.requireNonNull(status, "status");
    libraryTokens = Map.copyOf(libraryTokens);
    for (var e : libraryTokens.entrySet()) {
      if (!Libraries.NAMES.contains(e.getKey())) {
        throw new IllegalArgumentException("unknown library feature: " + e.getKey());
      }
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("negative count for " + e.getKey());
      }
    }
    if (parallelHints < 0 || declaredWorkers < 0 || scriptBytes < 0 || scriptLines < 0) {
      throw new IllegalArgumentException("script feature counts must be >= 0");
    }
  }

  /** Features of a job without a script. */
  public static ScriptFeatures none() {
    return new ScriptFeatures(Map.of(), 0, 0, 0, 0, ScriptText.Status.ABSENT);
  }

  /** Token count for one library feature name. */
  public int tokens(String library) {
    return libraryTokens.getOrDefault(library, 0);
  }

  /** Library counts in {@link Libraries#NAMES} order, zeros included (for storage). */
  public Map<String, Integer> allTokens() {
    Map<String, Integer> all = new LinkedHashMap<>();
    for (String name : Libraries.NAMES) {
      all.put(name, tokens(name));
    }
    return all;
  }
}
