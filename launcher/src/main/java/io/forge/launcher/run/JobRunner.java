package io.forge.launcher.run;

import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcer;
import io.forge.launcher.enforce.Enforcers;
import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.enforce.ProcessTree;
import io.forge.launcher.enforce.StaleCgroups;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.Outcome;
import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecorder;
import io.forge.model.history.Settlement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Runs one wrapped command under Forge: plan it ({@link JobPlanner}), record its row, start it
 * with the launcher's own stdin/stdout/stderr inside its cgroups, wait (timeout, memory cap,
 * the user's signals), measure the whole tree and settle the row ({@link Ending}). The row is
 * written before the job starts and settled whatever happens after.
 */
public final class JobRunner {

  /** Grace between SIGTERM and SIGKILL when a timeout or a signal stops the job. */
  public static final long GRACE_MS = 5000;

  /**
   * How to run.
   *
   * @param mode sizing mode
   * @param request the user's own limits
   * @param force run even if refused
   * @param enforcement the enforcement mechanism wanted
   * @param givenRunId null, or the run id {@code submit} gave a job it sized: the job then runs
   *     in enforce mode under exactly the requested memory and timeout (see {@link
   *     JobPlanner#given})
   */
  public record Options(Mode mode, StaticLimits request, boolean force,
      Enforcers.Preference enforcement, String givenRunId) {}

  private final JobPlanner planner;
  private final RunRecorder recorder;
  private final Clock clock;
  private final PrintStream err;
  private final Path nativeDir;

  /**
   * A runner.
   *
   * @param planner plans each job
   * @param recorder records and settles its row (the spool: a launch never opens the database)
   * @param clock the time rows are stamped with
   * @param err where Forge's own lines go
   * @param nativeDir where the signal-origin helper may be unpacked
   */
  public JobRunner(JobPlanner planner, RunRecorder recorder, Clock clock, PrintStream err,
      Path nativeDir) {
    this.planner = planner;
    this.recorder = recorder;
    this.clock = clock;
    this.err = err;
    this.nativeDir = nativeDir;
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
    JobPlanner.Plan plan = options.givenRunId() == null
        ? planner.plan(spec.job(), options.mode(), options.request(), options.force())
        : planner.given(spec.job(), options.givenRunId(), new Limits(
            options.request().requestedMemoryMb(), options.request().requestedTimeoutSeconds(),
            "predicted"));
    String commandLine = String.join(" ", spec.command());
    if (plan.refused()) {
      NewRun row = plan.row(plan.limits(), Mechanism.NONE, commandLine, "launcher");
      recorder.settle(row, new Settlement(null, Outcome.REJECTED, null, clock.instant()));
      err.println("forge: " + plan.decision().note());
      return RunReport.of(plan, spec, Mechanism.NONE, null, Outcome.REJECTED,
          ExitCodes.REFUSED);
    }
    if (plan.decision().note() != null) {
      err.println("forge: " + plan.decision().note());
    }
    CgroupMounts mounts = CgroupMounts.detect();
    try (Enforcer enforcer = Enforcers.create(plan.runId().substring(0, 8), plan.limits(),
        mounts, options.enforcement())) {
      Mechanism mechanism = enforcer.recorded();
      NewRun row = plan.row(plan.limits(), mechanism, commandLine, "launcher");
      recorder.record(row);
      return execute(spec, plan, row, mechanism, enforcer);
    } finally {
      // What an earlier launcher killed outright left behind (its own job's is gone with it),
      // under the cgroups this launch already looked up.
      StaleCgroups.sweep(mounts);
    }
  }

  /** Starts the recorded job inside its enforcement, waits for it, measures and settles it. */
  private RunReport execute(JobSpec spec, JobPlanner.Plan plan, NewRun row, Mechanism mechanism,
      Enforcer enforcer) {
    // Caught before the job starts: a signal in the gap between start and hand-over would
    // otherwise take the JVM's default path (shutdown) and never reach the job as itself.
    StopSignals stop = new StopSignals(nativeDir);
    long childTicksBefore = ProcFs.childrenCpuTicks().orElse(0);
    long startNanos = System.nanoTime();
    Process process;
    try {
      stop.starting();
      process = new ProcessBuilder(ParentDeath.guard(enforcer.wrap(spec.command())))
          .inheritIO().start();
    } catch (IOException e) {
      recorder.settle(row, new Settlement(null, Outcome.FAILED, ExitCodes.FORGE_FAILURE,
          clock.instant()));
      throw new IllegalStateException("cannot start " + spec.command().get(0) + ": "
          + e.getMessage(), e);
    }
    enforcer.attach(process);
    ProcessTree tree = new ProcessTree(process, enforcer);
    Thread hook = new Thread("forge-signal") {
      @Override
      public void run() {
        stopOnShutdown(tree, enforcer, row, startNanos);
      }
    };
    Runtime.getRuntime().addShutdownHook(hook);
    stop.started(tree);

    boolean timedOut;
    int exit;
    try {
      timedOut = tree.awaitEnd(plan.limits().timeoutSeconds(), GRACE_MS);
      exit = process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tree.kill();
      timedOut = false;
      exit = ExitCodes.FORGE_FAILURE;
    }
    double wall = (System.nanoTime() - startNanos) / 1e9;
    boolean hookSettles = false;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      hookSettles = true; // the hook is already running and settles the row itself
    }
    OptionalLong ticksAfter = ProcFs.childrenCpuTicks();
    // After waitFor() this JVM's reaped-children counters hold the whole tree's CPU.
    OptionalDouble childrenCpu = ticksAfter.isPresent()
        ? OptionalDouble.of((ticksAfter.getAsLong() - childTicksBefore) / ProcFs.TICKS_PER_SECOND)
        : OptionalDouble.empty();
    Ending ending = Ending.of(enforcer, timedOut, exit, wall, childrenCpu, "proc-self-children",
        stop.received() != null);
    if (ending.outcome() == Outcome.TIMED_OUT) {
      err.println("forge: timeout " + Math.round(plan.limits().timeoutSeconds())
          + " s reached (predicted wall " + Math.round(plan.prediction().wallSeconds())
          + " s) — stopped");
    } else if (ending.outcome() == Outcome.OOM_KILLED) {
      err.println("forge: memory cap " + Math.round(plan.limits().memoryLimitMb())
          + " MB exceeded (predicted " + Math.round(plan.prediction().peakRssMb())
          + " MB) — killed");
    }
    if (!hookSettles) {
      try {
        recorder.settle(row, ending.settlement(clock.instant()));
      } catch (RuntimeException e) {
        // The job has run: its exit code and summary stand; the row stays as recorded and is
        // ingested as abandoned.
        err.println("forge: could not record how run " + row.runId() + " ended: "
            + e.getMessage());
      }
    }
    return RunReport.of(plan, spec, mechanism, ending.measurement(), ending.outcome(),
        Outcomes.exitCode(ending.outcome(), exit));
  }

  /**
   * Shutdown hook, for when the JVM is ending while the job runs (signals could not be caught
   * on this JVM, or {@code System.exit} elsewhere): stop the job and settle it as interrupted.
   */
  private void stopOnShutdown(ProcessTree tree, Enforcer enforcer, NewRun row,
      long startNanos) {
    Process process = tree.root();
    if (!process.isAlive()) {
      return;
    }
    try {
      tree.stop(GRACE_MS);
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      tree.kill();
    }
    double wall = (System.nanoTime() - startNanos) / 1e9;
    int exit = process.isAlive() ? 128 + 9 : process.exitValue();
    Ending ending = Ending.of(enforcer, false, exit, wall, OptionalDouble.empty(), "unavailable",
        true);
    try {
      recorder.settle(row, ending.settlement(clock.instant()));
    } catch (RuntimeException e) {
      err.println("forge: could not settle run " + row.runId() + ": " + e.getMessage());
    }
  }
}
