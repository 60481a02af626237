package io.forge.bench;

/**
 * The agent's per-call overhead: times {@code n} calls of a planned method that does nothing
 * (no process), after a warm-up. Run it with and without {@code -javaagent}; the difference per
 * call is what the agent adds (prediction, spool record and settle, measurement start/stop).
 * Arguments: calls (default 2000). (Outside {@code io.forge.agent}: the agent never plans its
 * own packages.)
 */
public final class OverheadProgram {

  private OverheadProgram() {}

  /** A planned method (named as the agent's default matcher expects). */
  public static int runAnalysis(String script, String runtime, int memoryLimitMb,
      int timeoutSeconds) {
    return script.length() + runtime.length() + memoryLimitMb + timeoutSeconds;
  }

  /** Entry point: prints the mean nanoseconds per call. */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    long sink = 0;
    for (int i = 0; i < n / 4; i++) {
      sink += runAnalysis("print('warm-up')", "python3", 100, 60);
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += runAnalysis("import numpy as np\nnp.zeros(3)\n", "python3", 100 + i % 7, 60);
    }
    long perCall = (System.nanoTime() - start) / n;
    System.out.println("ns_per_call=" + perCall + " sink=" + (sink & 1));
  }
}
