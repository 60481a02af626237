package io.forge.launcher.cli;

import java.io.PrintStream;

/**
 * Progress of long work (training, import, evaluation) as one line rewritten in place on
 * stderr — on a terminal only; in scripts and logs it prints nothing.
 */
final class TerminalProgress {

  private final PrintStream err;
  private final boolean terminal;
  private int width;

  private TerminalProgress(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Progress on {@code err}, shown only when this process has a terminal. */
  static TerminalProgress on(PrintStream err) {
    return new TerminalProgress(err, System.console() != null);
  }

  /** Replaces the line with {@code text}. */
  void show(String text) {
    if (terminal) {
      String line = "forge: " + text;
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
    }
  }

  /** Ends the line (once the work is done). */
  void end() {
    if (terminal && width > 0) {
      err.println();
      width = 0;
    }
  }
}
