package io.forge.launcher.cli;

/**
 * Every exit code {@code forge-launch} returns of its own (DESIGN.md), and the {@code --help}
 * footers that list them; a wrapped job's own code is passed through unchanged.
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

  // --help footers, each line under 80 columns (picocli would wrap longer ones mid-word):
  // exit codes and environment variables only on the commands they concern.

  private static final String EXITS = "%nExit codes:%n";
  private static final String EXIT_OK = "  0    success%n";
  private static final String EXIT_USAGE = "  2    bad usage%n";
  private static final String EXIT_FORGE = "  125  Forge's own failure (database, I/O)%n";
  private static final String EXIT_WRAPPED =
      "  the job's own  when the wrapped command ran to its end%n"
          + "  2    bad usage%n"
          + "  69   refused: the job's predicted memory cannot fit the host budget%n"
          + "  124  stopped by Forge's timeout%n"
          + "  125  Forge's own failure (database, cgroup, I/O)%n"
          + "  126  command not executable%n"
          + "  127  command not found%n"
          + "  137  killed by Forge's memory cap%n";

  private static final String ENV = "%nEnvironment:%n";
  private static final String ENV_HOME =
      "  FORGE_HOME            database, spool and models (default ~/.forge)%n";
  private static final String ENV_DB =
      "  FORGE_DB_URL          a JDBC URL instead of the embedded database%n";
  private static final String ENV_MODE =
      "  FORGE_MODE            dry-run (default), enforce or deterministic%n";
  private static final String ENV_BUDGET =
      "  FORGE_HOST_BUDGET_MB  memory one job may have (default: RAM less a reserve)%n";
  private static final String ENV_ENFORCEMENT =
      "  FORGE_ENFORCEMENT     auto (default), cgroup-v2, cgroup-v1 or watchdog%n";
  private static final String ENV_MARGIN =
      "  FORGE_MEMORY_MARGIN   the cap over the predicted peak (default 1.5)%n";

  /** Footer of {@code run}: every code a wrapped run ends with, and what it reads. */
  public static final String RUN_FOOTER = EXITS + EXIT_WRAPPED + ENV + ENV_HOME + ENV_DB
      + ENV_MODE + ENV_BUDGET + ENV_ENFORCEMENT + ENV_MARGIN;

  /** Footer of {@code batch}. */
  public static final String BATCH_FOOTER = EXITS + "  0    every job succeeded%n" + EXIT_USAGE
      + "  123  one or more jobs failed (each job's log says why)%n" + EXIT_FORGE + ENV
      + ENV_HOME + ENV_DB + ENV_BUDGET + ENV_ENFORCEMENT + ENV_MARGIN;

  /** Footer of the commands that read or write the history. */
  public static final String STORE_FOOTER =
      EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE + ENV + ENV_HOME + ENV_DB;

  /** Footer of {@code predict}, which also shows the cap {@code enforce} would set. */
  public static final String PREDICT_FOOTER = EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE + ENV
      + ENV_HOME + ENV_DB + ENV_BUDGET + ENV_MARGIN;

  /** Footer of {@code serve}, which sizes the runs its API records. */
  public static final String SERVE_FOOTER = EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE + ENV
      + ENV_HOME + ENV_DB + ENV_MODE + ENV_BUDGET + ENV_MARGIN;

  /** Footer of {@code doctor}, which reports on everything. */
  public static final String DOCTOR_FOOTER = EXITS + EXIT_OK + EXIT_USAGE
      + "  125  the database cannot be opened%n" + ENV + ENV_HOME + ENV_DB + ENV_MODE
      + ENV_BUDGET + ENV_ENFORCEMENT + ENV_MARGIN;

  /** Footer of commands that touch neither jobs nor the history ({@code attach}, {@code timer}). */
  public static final String PLAIN_FOOTER = EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE;

  /** Footer of {@code forge-launch} itself. */
  public static final String MAIN_FOOTER =
      "%nRun a command under Forge: forge-launch [run] [OPTIONS] -- CMD [ARGS...]"
          + "%nIts options, exit codes and environment: forge-launch run --help%n";

  private ExitCodes() {}
}
