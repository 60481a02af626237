package io.forge.launcher.run;

import io.forge.launcher.cli.ExitCodes;
import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcement;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingDecision;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.predict.Predictor;
import io.forge.model.store.NewRun;
import io.forge.model.store.Settlement;
import io.forge.model.store.Spool;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job under Forge: predict, decide limits, record the row, start the command with the
 * launcher's own stdin/stdout/stderr inside its cgroups, wait (timeout, memory cap), measure the
 * whole tree, settle the row. The row is written before the job starts and settled whatever
 * happens after — normal exit, cap, timeout, or a signal to the launcher.
 */
public final class JobRunner {

  /** Grace between SIGTERM and SIGKILL when a timeout or a signal stops the job. */
  public static final long GRACE_MS = 5000;

  /**
   * How to run.
   *
   * @param mode sizing mode
   * @param hostBudgetMb host budget, MB
   * @param statics static limits
   * @param force run even if refused
   * @param enforcement the enforcement mechanism wanted
   */
  public record Options(
      Mode mode,
      double hostBudgetMb,
      StaticLimits statics,
      boolean force,
      Enforcement.Preference enforcement) {}

  private final Predictor predictor;
  private final Spool spool;
  private final SizingPolicy policy;
  private final Clock clock;
  private final PrintStream err;

  /**
   * A runner that predicts with {@code predictor} and records into {@code spool} (the
   * write-ahead record that the database ingests; see {@link Spool}).
   */
  public JobRunner(Predictor predictor, Spool spool, SizingPolicy policy, Clock clock,
      PrintStream err) {
    this.predictor = predictor;
    this.spool = spool;
    this.policy = policy;
    this.clock = clock;
    this.err = err;
  }

  /**
   * How a launcher in a terminal tells a typed Ctrl-C (already at the job) from a signal sent to
   * it alone, for {@code doctor}: see {@link SignalOrigin}.
   */
  public static String signalOrigin() {
    return SignalOrigin.bundled() ? "si_code (native helper)"
        : "terminal foreground group only: built without a C compiler, so a kill -INT sent"
            + " from elsewhere to a launcher in a terminal's foreground is not passed on";
  }

  /** Runs the job and returns its report (whose exit code forge-launch exits with). */
  public RunReport run(JobSpec spec, Options options) {
    Predictor.Planned planned = predictor.plan(spec.job());
    SizingDecision decision =
        policy.decide(options.mode(), planned.prediction(),
            planned.features().prior().max().peakRssMb(), options.hostBudgetMb(),
            options.statics(), options.force());
    String runId = NewRun.newRunId();
    String analysisId = planned.job().analysisId();
    String commandLine = String.join(" ", spec.command());

    if (decision.refused()) {
      NewRun row = newRun(runId, analysisId, planned, options.mode(), Limits.none(), "none",
          commandLine);
      spool.settle(row, new Settlement(null, Outcome.REJECTED, null, clock.instant()));
      err.println("forge: " + decision.note());
      return report(runId, spec, planned, options.mode(), Limits.none(), "none", null, Map.of(),
          Outcome.REJECTED, ExitCodes.REFUSED);
    }
    if (decision.note() != null) {
      err.println("forge: " + decision.note());
    }

    Limits limits = decision.limits();
    try (Enforcement enforcement =
        Enforcement.prepare(runId.substring(0, 8), limits, CgroupMounts.detect(),
            options.enforcement())) {
      String mechanism =
          limits.memoryLimitMb() == null && enforcement.mechanism().equals("watchdog")
              ? "none" : enforcement.mechanism();
      NewRun row = newRun(runId, analysisId, planned, options.mode(), limits, mechanism,
          commandLine);
      spool.record(row);
      return execute(spec, options, planned, limits, row, enforcement);
    }
  }

  /** Starts the recorded job inside its enforcement, waits for it, measures and settles it. */
  private RunReport execute(JobSpec spec, Options options, Predictor.Planned planned,
      Limits limits, NewRun row, Enforcement enforcement) {
    // Caught before the job starts: a signal in the gap between start and hand-over would
    // otherwise take the JVM's default path (shutdown) and never reach the job as itself.
    StopSignals stop = new StopSignals(enforcement, spool.dir().resolveSibling("native"));
    long childTicksBefore = ProcFs.childrenCpuTicks().orElse(0);
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = new ProcessBuilder(enforcement.wrap(spec.command())).inheritIO().start();
    } catch (IOException e) {
      spool.settle(row, new Settlement(null, Outcome.FAILED, ExitCodes.FORGE_FAILURE,
          clock.instant()));
      throw new IllegalStateException("cannot start " + spec.command().get(0) + ": "
          + e.getMessage(), e);
    }
    enforcement.attach(process);
    Thread hook = new Thread(() -> stopOnShutdown(process, enforcement, row, startNanos),
        "forge-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    stop.started(process);

    boolean timedOut;
    int exit;
    try {
      timedOut = enforcement.awaitEnd(process, limits.timeoutSeconds(), GRACE_MS);
      exit = process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      enforcement.killTree();
      timedOut = false;
      exit = ExitCodes.FORGE_FAILURE;
    }
    double wall = (System.nanoTime() - startNanos) / 1e9;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is already running and settles the row itself.
    }

    OptionalLong ticksAfter = ProcFs.childrenCpuTicks();
    // After waitFor() this JVM's reaped-children counters hold the whole tree's CPU.
    OptionalDouble childrenCpu = ticksAfter.isPresent()
        ? OptionalDouble.of((ticksAfter.getAsLong() - childTicksBefore) / ProcFs.TICKS_PER_SECOND)
        : OptionalDouble.empty();
    Enforcement.Ending ending =
        enforcement.finish(timedOut, exit, wall, childrenCpu, "proc-self-children");
    Outcome outcome = ending.outcome();
    if (stop.received() != null && outcome != Outcome.TIMED_OUT
        && outcome != Outcome.OOM_KILLED) {
      // Stopped by its user: only part of a run, whatever its exit code says.
      outcome = Outcome.INTERRUPTED;
    }
    int code = exit;
    if (outcome == Outcome.TIMED_OUT) {
      code = ExitCodes.TIMED_OUT;
      err.println("forge: timeout " + Math.round(limits.timeoutSeconds())
          + " s reached (predicted wall " + Math.round(planned.prediction().wallSeconds())
          + " s) — stopped");
    } else if (outcome == Outcome.OOM_KILLED) {
      code = ExitCodes.MEMORY_CAP;
      err.println("forge: memory cap " + Math.round(limits.memoryLimitMb())
          + " MB exceeded (predicted " + Math.round(planned.prediction().peakRssMb())
          + " MB) — killed");
    }
    Map<String, String> sources = ending.measured().sources();
    Usage actual = ending.measured().usage();
    spool.settle(row, new Settlement(actual, outcome, exit, clock.instant()));
    return report(row.runId(), spec, planned, options.mode(), limits, row.mechanism(), actual,
        sources, outcome, code);
  }

  /**
   * Shutdown hook, for when the JVM is ending while the job runs (signals could not be caught
   * on this JVM, or {@code System.exit} elsewhere): stop the job and settle it as interrupted.
   */
  private void stopOnShutdown(Process process, Enforcement enforcement, NewRun row,
      long startNanos) {
    if (!process.isAlive()) {
      return;
    }
    try {
      enforcement.stopTree(process, GRACE_MS);
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      enforcement.killTree();
    }
    double wall = (System.nanoTime() - startNanos) / 1e9;
    int exit = process.isAlive() ? 128 + 9 : process.exitValue();
    Usage usage =
        enforcement.measure(wall, OptionalDouble.empty(), "unavailable").usage();
    enforcement.close();
    try {
      spool.settle(row,
          new Settlement(usage, Outcome.INTERRUPTED, exit, clock.instant()));
    } catch (RuntimeException e) {
      err.println("forge: could not settle run " + row.runId() + ": " + e.getMessage());
    }
  }

  private NewRun newRun(String runId, String analysisId, Predictor.Planned planned, Mode mode,
      Limits limits, String mechanism, String commandLine) {
    return new NewRun(runId, analysisId, planned.features(), planned.prediction(),
        mode.cliName(), limits.memoryLimitMb(), limits.timeoutSeconds(), mechanism, commandLine,
        "launcher", null, null, clock.instant());
  }

  private static RunReport report(String runId, JobSpec spec, Predictor.Planned planned,
      Mode mode, Limits limits, String mechanism, Usage actual, Map<String, String> sources,
      Outcome outcome, int code) {
    return new RunReport(runId, planned.job().analysisId(), planned.job().runtimeName(),
        spec.job().inputSizesMb(), planned.prediction(), mode.cliName(), limits, mechanism,
        actual, sources, outcome, code);
  }
}
