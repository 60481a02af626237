package io.forge.launcher.batch;

/**
 * Whether one more job fits now: its memory cap within what the budget has left, and its
 * expected CPU load (predicted CPU-seconds ÷ predicted wall, at least 1 core's tenth) within the
 * cores still free. A job alone is always admitted, so a queue never stalls on a job larger than
 * the budget (the launcher refuses or caps it itself).
 */
final class Admission {

  private final double budgetMb;
  private final double cores;
  private double committedMb;
  private double committedCores;
  private int running;

  Admission(double budgetMb, double cores) {
    this.budgetMb = budgetMb;
    this.cores = cores;
  }

  /** Whether a job with this cap and CPU load may start now. */
  boolean fits(double capMb, double load) {
    return running == 0
        || (committedMb + capMb <= budgetMb && committedCores + load <= cores + 1e-9);
  }

  void start(double capMb, double load) {
    committedMb += capMb;
    committedCores += load;
    running++;
  }

  void finish(double capMb, double load) {
    committedMb -= capMb;
    committedCores -= load;
    running--;
  }

  double committedMb() {
    return committedMb;
  }

  int running() {
    return running;
  }

  /** Expected cores a job keeps busy: predicted CPU over predicted wall, within [0.1, cores]. */
  static double load(double cpuSeconds, double wallSeconds, double cores) {
    double l = wallSeconds > 0 ? cpuSeconds / wallSeconds : 1;
    return Math.max(0.1, Math.min(cores, l));
  }
}
