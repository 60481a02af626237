package io.forge.launcher.cli;

/**
 * Every exit code {@code forge-launch} returns of its own (DESIGN.md); a wrapped job's own
 * code is passed through unchanged.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** Bad usage: unknown option, missing argument (picocli's convention). */
  public static final int USAGE = 2;
  /** The job was refused as impossible; nothing was started ({@code EX_UNAVAILABLE}). */
  public static final int REFUSED = 69;
  /** Forge's timeout stopped the job (as GNU {@code timeout}). */
  public static final int TIMED_OUT = 124;
  /** Forge itself failed (database, cgroup set-up, I/O). */
  public static final int FORGE_FAILURE = 125;
  /** The command exists but is not executable. */
  public static final int NOT_EXECUTABLE = 126;
  /** The command was not found. */
  public static final int NOT_FOUND = 127;
  /** Forge's memory cap killed the job (128 + SIGKILL). */
  public static final int MEMORY_CAP = 137;

  /** The text appended to every command's {@code --help}. */
  public static final String HELP_FOOTER =
      "%nExit codes:%n"
          + "  the job's own   when a wrapped command ran to its end%n"
          + "  0    success (other commands)%n"
          + "  2    bad usage%n"
          + "  69   job refused: its predicted memory cannot fit the host budget%n"
          + "  124  stopped by Forge's timeout%n"
          + "  125  Forge's own failure (database, cgroup, I/O)%n"
          + "  126  command not executable%n"
          + "  127  command not found%n"
          + "  137  killed by Forge's memory cap%n"
          + "%nEnvironment: FORGE_HOME (default ~/.forge), FORGE_DB_URL, FORGE_MODE,"
          + " FORGE_HOST_BUDGET_MB,%n  FORGE_ENFORCEMENT (auto, cgroup-v2, cgroup-v1, watchdog), FORGE_MEMORY_MARGIN (default 1.5)%n";

  private ExitCodes() {}
}
