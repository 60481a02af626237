package io.forge.agent;

import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.run.Outcomes;
import io.forge.model.Job;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the advice calls: plans a call (prediction, sizing, argument rewrite in {@code enforce}),
 * records it in the spool, measures the processes it starts ({@link CallMeter}), and settles
 * it. Reuses the launcher's policy and cgroups and the model's predictor and spool; never
 * throws.
 */
public final class AgentRuntime {

  /**
   * One planned call in flight.
   *
   * @param row the recorded run
   * @param startNanos when the call started
   * @param meter measures the processes the call starts
   * @param rewritten the arguments to proceed with, null when unchanged
   */
  public record Call(NewRun row, long startNanos, CallMeter meter, Object[] rewritten) {}

  private static volatile AgentRuntime instance;
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  /** The planned call running on this thread, if any. */
  private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();
  /** Every planned call in flight, on any thread. */
  private static final Set<Call> IN_FLIGHT = ConcurrentHashMap.newKeySet();

  private final AgentConfig config;
  private final AgentContext context;

  private AgentRuntime(AgentConfig config, AgentContext context) {
    this.config = config;
    this.context = context;
  }

  /**
   * The call whose measurement a process being started joins: the planned call on this thread,
   * else the only planned call in flight (an executor that starts its processes on a worker
   * thread); null when there is none or the process cannot be told apart between several.
   */
  static Call callStartingProcesses() {
    Call mine = CURRENT.get();
    if (mine != null) {
      return mine;
    }
    if (IN_FLIGHT.size() == 1) {
      try {
        return IN_FLIGHT.iterator().next();
      } catch (java.util.NoSuchElementException ended) {
        return null;
      }
    }
    return null;
  }

  static void init(AgentConfig config, AgentContext context) {
    instance = new AgentRuntime(config, context);
  }

  /** Plans a call; null when it is not planned (nested call, or Forge failed: logged once). */
  public static Call enter(Method method, Object[] args) {
    int[] depth = DEPTH.get();
    depth[0]++;
    AgentRuntime rt = instance;
    if (rt == null || depth[0] > 1) {
      return null;
    }
    try {
      Call call = rt.plan(method, args);
      CURRENT.set(call);
      IN_FLIGHT.add(call);
      return call;
    } catch (Throwable t) {
      AgentLog.failure("planning", t);
      return null;
    }
  }

  /** Settles a call planned by {@link #enter}. */
  public static void exit(Object token, Object result, Throwable thrown) {
    DEPTH.get()[0]--;
    AgentRuntime rt = instance;
    if (rt == null || !(token instanceof Call call)) {
      return;
    }
    CURRENT.remove();
    IN_FLIGHT.remove(call);
    try {
      rt.settle(call, result, thrown);
    } catch (Throwable t) {
      AgentLog.failure("settling", t);
    }
  }

  private Call plan(Method method, Object[] args) throws Exception {
    CallArguments found = CallArguments.of(method, args, config.mappings());
    Job job = CallJobs.of(method, found);
    Optional<CallArguments.Slot> memory = found.slot("memory_limit_mb");
    Optional<CallArguments.Slot> timeout = found.slot("timeout_seconds");
    // The executor's own limits; zero or negative ones ("no limit" in many executors) are none.
    Double ownMemory = memory.map(CallArguments.Slot::value).map(AgentRuntime::limit)
        .orElse(null);
    Double ownTimeout = timeout.map(CallArguments.Slot::value).map(AgentRuntime::limit)
        .orElse(null);
    Mode mode = context.settings().defaultMode();
    JobPlanner.Plan plan = context.planner().plan(job, mode,
        StaticLimits.of(ownMemory, ownTimeout), true);
    if (plan.decision().note() != null) {
      AgentLog.once("note:" + job.analysisId(), job.analysisId() + ": " + plan.decision().note());
    }
    Object[] rewritten = null;
    Double appliedMemory = ownMemory;
    Double appliedTimeout = ownTimeout;
    Limits limits = plan.limits();
    if (mode == Mode.ENFORCE && limits.source().equals("predicted")) {
      rewritten = args.clone();
      if (memory.isPresent() && limits.memoryLimitMb() != null) {
        Object v = CallArguments.convert(limits.memoryLimitMb(), memory.get().type());
        memory.get().set(rewritten, v);
        appliedMemory = limit(v);
      }
      if (timeout.isPresent() && limits.timeoutSeconds() != null) {
        Object v = CallArguments.convert(limits.timeoutSeconds(), timeout.get().type());
        timeout.get().set(rewritten, v);
        appliedTimeout = limit(v);
      }
      if (memory.isEmpty() && timeout.isEmpty()) {
        AgentLog.once("no-limits:" + method, method + ": no memory or timeout parameter found"
            + " to rewrite (roles found: " + found.roles() + "; see map.* in the README)");
        rewritten = null;
      }
    }
    // The executor applies the limits it was handed: the row records what it ran under.
    NewRun row = plan.row(new Limits(appliedMemory, appliedTimeout, limits.source()),
        Mechanism.EXECUTOR, method.getDeclaringClass().getName() + "#" + method.getName(),
        "agent");
    context.recorder().record(row);
    return new Call(row, System.nanoTime(), new CallMeter(row.runId().substring(0, 8),
        context.mounts(), context.settings().enforcement()), rewritten);
  }

  private void settle(Call call, Object result, Throwable thrown) {
    double wall = (System.nanoTime() - call.startNanos()) / 1e9;
    Usage measured = call.meter().finish();
    Double cpu = measured == null ? null : measured.cpuSeconds();
    Double rss = measured == null ? null : measured.peakRssMb();
    Integer exitCode = null;
    if (result != null) {
      // What the host reports of its own job wins over what Forge saw of it.
      ResultView view = ResultView.of(result);
      cpu = view.number("cpuseconds", "cpus", "cpusec").orElse(cpu);
      rss = view.number("peakrssmb", "rssmb", "maxrssmb", "peakmemorymb").orElse(rss);
      wall = view.number("wallseconds", "walls", "elapsedseconds", "durationseconds")
          .orElse(wall);
      exitCode = view.number("exitcode", "returncode", "exitstatus").map(Double::intValue)
          .orElse(null);
    }
    // No figure is invented: a call none of whose processes was measured is settled unmeasured
    // (kept out of training) rather than as a job of 0 MB.
    Usage actual = cpu == null || rss == null ? null
        : new Usage(Math.max(0, cpu), Math.max(0, rss), Math.max(0, wall));
    context.recorder().settle(call.row(), new Settlement(actual,
        Outcomes.reported(exitCode, thrown != null), exitCode, context.settings().clock()
        .instant()));
  }

  /** A limit argument's value as a positive number, or null. */
  private static Double limit(Object v) {
    return v instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())
        ? n.doubleValue() : null;
  }
}
