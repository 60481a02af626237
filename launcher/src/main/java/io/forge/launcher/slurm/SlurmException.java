package io.forge.launcher.slurm;

/** Slurm refused a request or could not be asked; the message says which, in one line. */
public final class SlurmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line message. */
  public SlurmException(String message) {
    super(message);
  }
}
