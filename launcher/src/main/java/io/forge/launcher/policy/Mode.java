package io.forge.launcher.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a prediction is used (DESIGN.md "Modes"). */
public enum Mode {
  /** Predict and record; enforce nothing. The default, and the first step of a roll-out. */
  DRY_RUN("dry-run"),
  /** Apply the predicted caps; refuse jobs that cannot fit. */
  ENFORCE("enforce"),
  /** Static limits only, as before Forge. */
  DETERMINISTIC("deterministic");

  private final String cliName;

  Mode(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line, in {@code FORGE_MODE} and in the database. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a mode name.
   *
   * @throws IllegalArgumentException naming the valid modes
   */
  public static Mode parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Mode m : values()) {
      if (m.cliName.equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + name + "' (expected one of "
            + Arrays.stream(values()).map(Mode::cliName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
