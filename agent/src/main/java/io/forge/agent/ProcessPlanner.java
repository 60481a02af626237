package io.forge.agent;

import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcement;
import io.forge.launcher.job.CommandParser;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.policy.HostBudget;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingDecision;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.Outcome;
import io.forge.model.predict.Predictor;
import io.forge.model.store.NewRun;
import io.forge.model.store.ReloadingPredictor;
import io.forge.model.store.Settlement;
import io.forge.model.store.Spool;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code processes=true}: every process the host starts through {@code ProcessBuilder} (so also
 * {@code Runtime.exec}, Apache Commons Exec, zt-exec…) is treated as the launcher treats a
 * wrapped command — predicted from its command line, placed in its cgroup before its first
 * instruction (its command is wrapped for the duration of {@code start()} and then restored),
 * capped in {@code enforce}, measured, and settled when it exits.
 */
final class ProcessPlanner {

  /** Grace between SIGTERM and SIGKILL when a timeout stops a process (as the launcher's). */
  private static final long GRACE_MS = io.forge.launcher.run.JobRunner.GRACE_MS;

  /** How long JVM shutdown waits for the followers of exited processes to settle them. */
  private static final long SHUTDOWN_WAIT_MS = 3000;

  /**
   * How long a new process waits for the settlement of processes that have already exited, so
   * that a host starting jobs one after another predicts each from the ones before it.
   */
  private static final long SETTLE_WAIT_MS = 1000;

  private record Token(NewRun row, Enforcement enforcement, List<String> original,
      long startNanos, Limits limits) {}

  private final Mode mode;
  private final Spool spool;
  private final ReloadingPredictor predictor;
  private final SizingPolicy policy = SizingPolicy.fromEnvironment(System.getenv());
  private final double hostBudgetMb;
  private final CgroupMounts mounts = CgroupMounts.detect();
  private final Enforcement.Preference preference;
  private final java.util.Map<Thread, Process> followers = new ConcurrentHashMap<>();

  ProcessPlanner(AgentConfig config) {
    this.mode = Mode.parse(config.mode());
    this.spool = new Spool(config.home());
    this.predictor = new ReloadingPredictor(config.home(), () -> { });
    this.hostBudgetMb = HostBudget.detect(System.getenv()).budgetMb();
    this.preference = Enforcement.Preference.parse(System.getenv("FORGE_ENFORCEMENT"));
    Runtime.getRuntime().addShutdownHook(new Thread(this::awaitFollowers, "forge-agent-exit"));
  }

  /** Plans a process about to start; a token for {@link #after}, or null. */
  Object before(ProcessBuilder builder) {
    List<String> command = builder.command();
    awaitSettlementOfExited();
    ProcessHook.OWN.set(true);
    try {
      Path cwd = builder.directory() == null ? Path.of("").toAbsolutePath()
          : builder.directory().toPath();
      JobSpec spec = CommandParser.parse(command, CommandParser.Overrides.none(), cwd);
      Predictor.Planned planned = predictor.current().plan(spec.job());
      SizingDecision decision = policy.decide(mode, planned.prediction(),
          planned.features().prior().max().peakRssMb(), hostBudgetMb,
          StaticLimits.of(null, null), true);
      Limits limits = decision.limits();
      String runId = NewRun.newRunId();
      Enforcement enforcement =
          Enforcement.prepare(runId.substring(0, 8), limits, mounts, preference);
      List<String> original = new ArrayList<>(command);
      String mechanism = limits.memoryLimitMb() == null
          && enforcement.mechanism().equals("watchdog") ? "none" : enforcement.mechanism();
      NewRun row = new NewRun(runId, planned.job().analysisId(), planned.features(),
          planned.prediction(), mode.cliName(), limits.memoryLimitMb(), limits.timeoutSeconds(),
          mechanism, String.join(" ", original), "agent", null, null, Instant.now());
      spool.record(row);
      builder.command(enforcement.wrapIfStartable(original, builder.directory()));
      return new Token(row, enforcement, original, System.nanoTime(), limits);
    } catch (Throwable t) {
      AgentLog.failure("planning a process", t);
      return null;
    } finally {
      ProcessHook.OWN.set(false);
    }
  }

  /** Waits (briefly) for the followers of processes that have exited to settle them. */
  private void awaitSettlementOfExited() {
    long deadline = System.nanoTime() + SETTLE_WAIT_MS * 1_000_000;
    for (var f : List.copyOf(followers.entrySet())) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (!f.getValue().isAlive() && left > 0) {
        try {
          f.getKey().join(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  void after(ProcessBuilder builder, Object token, Process process, Throwable thrown) {
    if (!(token instanceof Token t)) {
      return;
    }
    builder.command(t.original());
    if (thrown != null || process == null) {
      t.enforcement().close();
      predictor.settle(spool, t.row(), new Settlement(null, Outcome.FAILED, null,
          Instant.now()));
      return;
    }
    t.enforcement().attach(process);
    Thread follower = new Thread(() -> follow(t, process), "forge-agent-process");
    follower.setDaemon(true);
    followers.put(follower, process);
    follower.start();
  }

  private void follow(Token t, Process process) {
    ProcessHook.OWN.set(true);
    try {
      boolean timedOut = t.enforcement().awaitEnd(process, t.limits().timeoutSeconds(),
          GRACE_MS);
      int exit = process.exitValue();
      double wall = (System.nanoTime() - t.startNanos()) / 1e9;
      Enforcement.Ending ending =
          t.enforcement().finish(timedOut, exit, wall, OptionalDouble.empty(), "unavailable");
      predictor.settle(spool, t.row(), new Settlement(ending.measured().usage(),
          ending.outcome(), exit, Instant.now()));
    } catch (Throwable e) {
      AgentLog.failure("following a process", e);
    } finally {
      followers.remove(Thread.currentThread());
      ProcessHook.OWN.set(false);
    }
  }

  private void awaitFollowers() {
    long deadline = System.currentTimeMillis() + SHUTDOWN_WAIT_MS;
    for (Thread f : List.copyOf(followers.keySet())) {
      try {
        f.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
