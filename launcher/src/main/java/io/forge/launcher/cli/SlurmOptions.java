package io.forge.launcher.cli;

import picocli.CommandLine.Option;

/** The Slurm options {@code submit} and {@code batch --slurm} share (a picocli mixin). */
final class SlurmOptions {

  /** Attempts a job gets when {@code --max-attempts} is not given. */
  static final int DEFAULT_ATTEMPTS = 3;

  @Option(names = "--partition", paramLabel = "P",
      description = "the Slurm partition (sbatch -p)")
  String partition;

  @Option(names = "--max-attempts", paramLabel = "K",
      description = "attempts per job, the first included (default 3)")
  Integer maxAttempts;

  /** Whether either was given (they mean nothing to a batch run on this host). */
  boolean given() {
    return partition != null || maxAttempts != null;
  }

  /**
   * The attempts a job gets.
   *
   * @throws IllegalArgumentException when {@code --max-attempts} is below 1
   */
  int attempts() {
    int k = maxAttempts != null ? maxAttempts : DEFAULT_ATTEMPTS;
    if (k < 1) {
      throw new IllegalArgumentException("--max-attempts must be >= 1");
    }
    return k;
  }
}
