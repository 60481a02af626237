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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code processes=true}: every process the host starts through {@code ProcessBuilder} (so also
 * {@code Runtime.exec}, Apache Commons Exec, zt-exec…) is treated as the launcher treats a
 * wrapped command — predicted from its command line, placed in its cgroup before its first
 * instruction (its command is wrapped for the duration of {@code start()} and then restored),
 * capped in {@code enforce}, measured, and settled when it exits.
 */
final class ProcessPlanner implements java.util.function.Function<Object[], Object> {

  /** Processes Forge starts itself ({@code kill}, …) are not planned. */
  private static final ThreadLocal<Boolean> OWN = ThreadLocal.withInitial(() -> false);

  /** Grace between SIGTERM and SIGKILL when a timeout stops a process (as the launcher's). */
  private static final long GRACE_MS = io.forge.launcher.run.JobRunner.GRACE_MS;

  /** How long JVM shutdown waits for the followers of exited processes to settle them. */
  private static final long SHUTDOWN_WAIT_MS = 3000;

  private record Token(NewRun row, Enforcement enforcement, List<String> original,
      long startNanos, Limits limits) {}

  private final Mode mode;
  private final Spool spool;
  private final ReloadingPredictor predictor;
  private final SizingPolicy policy = SizingPolicy.fromEnvironment(System.getenv());
  private final double hostBudgetMb;
  private final CgroupMounts mounts = CgroupMounts.detect();
  private final Set<Thread> followers = ConcurrentHashMap.newKeySet();

  ProcessPlanner(AgentConfig config) {
    this.mode = Mode.parse(config.mode());
    this.spool = new Spool(config.home());
    this.predictor = new ReloadingPredictor(config.home(), () -> { });
    this.hostBudgetMb = HostBudget.detect(System.getenv()).budgetMb();
    Runtime.getRuntime().addShutdownHook(new Thread(this::awaitFollowers, "forge-agent-exit"));
  }

  /**
   * The hook {@link ProcessStartAdvice} calls: {@code [builder]} before {@code start()} (returns
   * a token or null), {@code [builder, token, process, thrown]} after. Never throws.
   */
  @Override
  public Object apply(Object[] call) {
    try {
      if (call.length == 1) {
        return before((ProcessBuilder) call[0]);
      }
      after((ProcessBuilder) call[0], call[1], (Process) call[2], (Throwable) call[3]);
    } catch (Throwable t) {
      AgentLog.failure("following a process", t);
    }
    return null;
  }

  Object before(ProcessBuilder builder) {
    List<String> command = builder.command();
    if (OWN.get() || command.isEmpty() || Enforcement.isWrapper(command)) {
      return null;
    }
    OWN.set(true);
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
      Enforcement enforcement = Enforcement.prepare(runId.substring(0, 8), limits, mounts);
      List<String> original = new ArrayList<>(command);
      String mechanism = limits.memoryLimitMb() == null
          && enforcement.mechanism().equals("watchdog") ? "none" : enforcement.mechanism();
      NewRun row = new NewRun(runId, planned.job().analysisId(), planned.features(),
          planned.prediction(), mode.cliName(), limits.memoryLimitMb(), limits.timeoutSeconds(),
          mechanism, String.join(" ", original), "agent", null, null, Instant.now());
      spool.record(row);
      builder.command(enforcement.wrap(original));
      return new Token(row, enforcement, original, System.nanoTime(), limits);
    } catch (Throwable t) {
      AgentLog.failure("planning a process", t);
      return null;
    } finally {
      OWN.set(false);
    }
  }

  void after(ProcessBuilder builder, Object token, Process process, Throwable thrown) {
    if (!(token instanceof Token t)) {
      return;
    }
    builder.command(t.original());
    if (thrown != null || process == null) {
      t.enforcement().close();
      spool.settle(t.row(), new Settlement(null, Outcome.FAILED, null, Instant.now()));
      return;
    }
    t.enforcement().attach(process);
    Thread follower = new Thread(() -> follow(t, process), "forge-agent-process");
    follower.setDaemon(true);
    followers.add(follower);
    follower.start();
  }

  private void follow(Token t, Process process) {
    OWN.set(true);
    try {
      boolean timedOut = t.enforcement().awaitEnd(process, t.limits().timeoutSeconds(),
          GRACE_MS);
      int exit = process.exitValue();
      double wall = (System.nanoTime() - t.startNanos()) / 1e9;
      Enforcement.Ending ending =
          t.enforcement().finish(timedOut, exit, wall, OptionalDouble.empty(), "unavailable");
      spool.settle(t.row(), new Settlement(ending.measured().usage(), ending.outcome(), exit,
          Instant.now()));
    } catch (Throwable e) {
      AgentLog.failure("following a process", e);
    } finally {
      followers.remove(Thread.currentThread());
      OWN.set(false);
    }
  }

  private void awaitFollowers() {
    long deadline = System.currentTimeMillis() + SHUTDOWN_WAIT_MS;
    for (Thread f : List.copyOf(followers)) {
      try {
        f.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
