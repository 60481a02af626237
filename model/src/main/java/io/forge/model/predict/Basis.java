package io.forge.model.predict;

import java.util.Locale;

/** Where a prediction came from. */
public enum Basis {
  /** The trained gradient-boosting model. */
  MODEL,
  /** No model yet: the analysis's own earlier runs. */
  HISTORY,
  /** No model and no earlier runs: a conservative default with a very wide interval. */
  PRIOR;

  /** JSON and database name ({@code model}, {@code history}, {@code prior}). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a JSON or database name. */
  public static Basis fromJson(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
