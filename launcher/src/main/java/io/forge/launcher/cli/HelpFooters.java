package io.forge.launcher.cli;

/**
 * The {@code --help} footers: the exit codes ({@link io.forge.launcher.run.ExitCodes}) and
 * environment variables of each command, only those it concerns, each line under 80 columns
 * (picocli would wrap longer ones mid-word).
 */
final class HelpFooters {

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
      "  FORGE_SIZING          calibrated (default) or spec (1.5 x the predicted peak)%n"
          + "  FORGE_TARGET_FAILURE_RATE  first attempts a cap may fail (default 0.02)%n"
          + "  FORGE_MEMORY_MARGIN   the spec rule's margin (default 1.5)%n";

  /** Footer of {@code run}: every code a wrapped run ends with, and what it reads. */
  static final String RUN_FOOTER = EXITS + EXIT_WRAPPED + ENV + ENV_HOME + ENV_DB
      + ENV_MODE + ENV_BUDGET + ENV_ENFORCEMENT + ENV_MARGIN;

  /** Footer of {@code batch}. */
  static final String BATCH_FOOTER = EXITS + "  0    every job succeeded%n" + EXIT_USAGE
      + "  123  one or more jobs failed (each job's log says why)%n" + EXIT_FORGE + ENV
      + ENV_HOME + ENV_DB + ENV_BUDGET + ENV_ENFORCEMENT + ENV_MARGIN;

  /** Footer of {@code submit}. */
  static final String SUBMIT_FOOTER = EXITS
      + "  0    submitted (without --wait)%n"
      + "  the job's own  with --wait, when its last attempt ran to its end%n"
      + EXIT_USAGE
      + "  69   refused: the job's predicted memory fits no node of the partition%n"
      + "  124  with --wait: its last attempt ran out of time%n"
      + "  125  Forge's own failure, or Slurm's (sbatch refused, no controller, a%n"
      + "       job that can never start, a last attempt lost with its node)%n"
      + "  137  with --wait: its last attempt was killed by its memory cap (or%n"
      + "       its launcher by SIGKILL)%n"
      + "  143  with --wait: the job was cancelled (scancel)%n"
      + ENV + ENV_HOME + ENV_DB
      + "  FORGE_SERVER          the forge-launch serve the nodes record through%n"
      + ENV_MARGIN + "  SLURM_CONF            read by Slurm's own commands, as always%n";

  /** Footer of the commands that read or write the history. */
  static final String STORE_FOOTER =
      EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE + ENV + ENV_HOME + ENV_DB;

  /** Footer of {@code predict}, which also shows the cap {@code enforce} would set. */
  static final String PREDICT_FOOTER = EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE + ENV
      + ENV_HOME + ENV_DB + ENV_BUDGET + ENV_MARGIN;

  /** Footer of {@code serve}, which sizes the runs its API records. */
  static final String SERVE_FOOTER = EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE + ENV
      + ENV_HOME + ENV_DB + ENV_MODE + ENV_BUDGET + ENV_MARGIN
      + "  FORGE_API_TOKEN       the token API writes must carry (Authorization: Bearer);%n"
      + "                        required with --bind beyond loopback%n";

  /** Footer of {@code doctor}, which reports on everything. */
  static final String DOCTOR_FOOTER = EXITS + EXIT_OK + EXIT_USAGE
      + "  125  the database cannot be opened%n" + ENV + ENV_HOME + ENV_DB + ENV_MODE
      + ENV_BUDGET + ENV_ENFORCEMENT + ENV_MARGIN;

  /** Footer of commands that touch neither jobs nor the history ({@code attach}, {@code timer}). */
  static final String PLAIN_FOOTER = EXITS + EXIT_OK + EXIT_USAGE + EXIT_FORGE;

  /** Footer of {@code forge-launch} itself. */
  static final String MAIN_FOOTER =
      "%nRun a command under Forge: forge-launch [run] [OPTIONS] -- CMD [ARGS...]"
          + "%nIts options, exit codes and environment: forge-launch run --help%n";

  private HelpFooters() {}
}
