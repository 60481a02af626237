package io.forge.agent;

import io.forge.launcher.enforce.Enforcer;
import io.forge.launcher.enforce.Enforcers;
import io.forge.launcher.enforce.ProcessTree;
import io.forge.launcher.job.CommandParser;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.Ending;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.run.JobRunner;
import io.forge.model.Outcome;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private static final long GRACE_MS = JobRunner.GRACE_MS;

  /** How long JVM shutdown waits for the followers of exited processes to settle them. */
  private static final long SHUTDOWN_WAIT_MS = 3000;

  /**
   * How long a new process waits for the settlement of processes that have already exited, so
   * that a host starting jobs one after another predicts each from the ones before it.
   */
  private static final long SETTLE_WAIT_MS = 1000;

  private record Token(NewRun row, Enforcer enforcer, List<String> original, long startNanos) {}

  private final AgentContext context;
  private final Map<Thread, Process> followers = new ConcurrentHashMap<>();

  ProcessPlanner(AgentContext context) {
    this.context = context;
    Runtime.getRuntime().addShutdownHook(new Thread(this::awaitFollowers, "forge-agent-exit"));
  }

  /** Plans a process about to start; a token for {@link #after}, or null. */
  Object before(ProcessBuilder builder) {
    List<String> command = builder.command();
    awaitSettlementOfExited();
    ProcessHook.OWN.set(true);
    Enforcer enforcer = null;
    try {
      Path cwd = builder.directory() == null ? Path.of("").toAbsolutePath()
          : builder.directory().toPath();
      JobSpec spec = CommandParser.parse(command, CommandParser.Overrides.none(), cwd);
      JobPlanner.Plan plan = context.planner().plan(spec.job(),
          context.settings().defaultMode(), StaticLimits.of(null, null), true);
      enforcer = Enforcers.create(plan.runId().substring(0, 8), plan.limits(),
          context.mounts(), context.settings().enforcement());
      List<String> original = new ArrayList<>(command);
      NewRun row = plan.row(plan.limits(), enforcer.recorded(), String.join(" ", original),
          "agent");
      context.recorder().record(row);
      builder.command(enforcer.wrapIfStartable(original, builder.directory()));
      return new Token(row, enforcer, original, System.nanoTime());
    } catch (Throwable t) {
      // Fail open: the process starts exactly as it would without Forge, its cgroups removed.
      if (enforcer != null) {
        enforcer.close();
      }
      builder.command(command);
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
      t.enforcer().close();
      context.recorder().settle(t.row(), new Settlement(null, Outcome.FAILED, null,
          context.settings().clock().instant()));
      return;
    }
    t.enforcer().attach(process);
    Thread follower = new Thread(() -> follow(t, process), "forge-agent-process");
    follower.setDaemon(true);
    followers.put(follower, process);
    follower.start();
  }

  private void follow(Token t, Process process) {
    ProcessHook.OWN.set(true);
    try {
      boolean timedOut = new ProcessTree(process, t.enforcer())
          .awaitEnd(t.enforcer().limits().timeoutSeconds(), GRACE_MS);
      double wall = (System.nanoTime() - t.startNanos()) / 1e9;
      Ending ending = Ending.of(t.enforcer(), timedOut, process.exitValue(), wall,
          OptionalDouble.empty(), "unavailable", false);
      context.recorder().settle(t.row(), ending.settlement(context.settings().clock()
          .instant()));
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
