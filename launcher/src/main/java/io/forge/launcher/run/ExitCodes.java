package io.forge.launcher.run;

/**
 * Every exit code {@code forge-launch} returns of its own (DESIGN.md); a wrapped job's own
 * code is passed through unchanged. Which code a run ends with is {@link Outcomes}'s decision;
 * the {@code --help} footers that list them are the CLI's.
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

  /** {@code batch}: one or more of its jobs did not succeed (as {@code xargs}). */
  public static final int SOME_JOBS_FAILED = 123;

  private ExitCodes() {}
}
