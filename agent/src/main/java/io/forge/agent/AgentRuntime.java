package io.forge.agent;

import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcement;
import io.forge.launcher.job.CommandParser;
import io.forge.launcher.policy.HostBudget;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingDecision;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.Job;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.features.Runtimes;
import io.forge.model.features.ScriptText;
import io.forge.model.predict.Predictor;
import io.forge.model.store.NewRun;
import io.forge.model.store.ReloadingPredictor;
import io.forge.model.store.Settlement;
import io.forge.model.store.Spool;
import java.io.File;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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
  private static final java.util.Set<Call> IN_FLIGHT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final AgentConfig config;
  private final Mode mode;
  private final Spool spool;
  private final ReloadingPredictor predictor;
  private final SizingPolicy policy = SizingPolicy.fromEnvironment(System.getenv());
  private final double hostBudgetMb;
  private final CgroupMounts mounts = CgroupMounts.detect();
  private final Enforcement.Preference preference;

  private AgentRuntime(AgentConfig config) {
    this.config = config;
    this.mode = Mode.parse(config.mode());
    this.spool = new Spool(config.home());
    this.predictor = new ReloadingPredictor(config.home(), () -> { });
    this.hostBudgetMb = HostBudget.detect(System.getenv()).budgetMb();
    this.preference = Enforcement.Preference.parse(System.getenv("FORGE_ENFORCEMENT"));
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

  static void init(AgentConfig config) {
    instance = new AgentRuntime(config);
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
    Path scriptPath = path(found.value("script").orElse(null));
    if (scriptPath != null && !Files.isRegularFile(scriptPath)) {
      scriptPath = null; // not a file: the value is the script's text (inline code)
    }
    ScriptText script;
    if (scriptPath != null) {
      script = ScriptText.read(scriptPath);
    } else {
      script = found.value("script").map(v -> ScriptText.of(String.valueOf(v)))
          .orElse(ScriptText.absent());
    }
    String runtime = found.value("runtime").map(String::valueOf)
        .orElse(scriptPath == null || scriptPath.getFileName() == null ? "other"
            : Runtimes.ofScriptName(scriptPath.getFileName().toString()));
    // Without an id: the script's file name; for code passed as text, the method and a name of
    // the code (each piece of code its own analysis, as the launcher names one-liners).
    String byMethod = method.getDeclaringClass().getSimpleName() + "#" + method.getName();
    String analysisId = found.value("analysis_id").map(String::valueOf)
        .orElse(scriptPath != null && scriptPath.getFileName() != null
            ? scriptPath.getFileName().toString()
            : script.scanned() ? byMethod + " " + ScriptText.codeName(script.text()) : byMethod);
    Job job = new Job(analysisId, runtime, script, sizes(found.value("inputs").orElse(null)));
    Predictor.Planned planned = predictor.current().plan(job);

    Optional<CallArguments.Slot> memory = found.slot("memory_limit_mb");
    Optional<CallArguments.Slot> timeout = found.slot("timeout_seconds");
    Double ownMemory = memory.map(CallArguments.Slot::value).map(AgentRuntime::number)
        .orElse(null);
    Double ownTimeout = timeout.map(CallArguments.Slot::value).map(AgentRuntime::number)
        .orElse(null);
    SizingDecision decision = policy.decide(mode, planned.prediction(),
        planned.features().prior().max().peakRssMb(), hostBudgetMb,
        StaticLimits.of(ownMemory, ownTimeout), true);
    if (decision.note() != null) {
      AgentLog.once("note:" + analysisId, analysisId + ": " + decision.note());
    }
    Object[] rewritten = null;
    Double appliedMemory = ownMemory;
    Double appliedTimeout = ownTimeout;
    Limits limits = decision.limits();
    if (mode == Mode.ENFORCE && limits.source().equals("predicted")) {
      rewritten = args.clone();
      if (memory.isPresent() && limits.memoryLimitMb() != null) {
        Object v = CallArguments.convert(limits.memoryLimitMb(), memory.get().type());
        memory.get().set(rewritten, v);
        appliedMemory = number(v);
      }
      if (timeout.isPresent() && limits.timeoutSeconds() != null) {
        Object v = CallArguments.convert(limits.timeoutSeconds(), timeout.get().type());
        timeout.get().set(rewritten, v);
        appliedTimeout = number(v);
      }
      if (memory.isEmpty() && timeout.isEmpty()) {
        AgentLog.once("no-limits:" + method, method + ": no memory or timeout parameter found"
            + " to rewrite (roles found: " + found.roles() + "; see map.* in the README)");
        rewritten = null;
      }
    }
    NewRun row = new NewRun(NewRun.newRunId(), analysisId, planned.features(),
        planned.prediction(), mode.cliName(), appliedMemory, appliedTimeout, "executor",
        method.getDeclaringClass().getName() + "#" + method.getName(), "agent", null, null,
        Instant.now());
    spool.record(row);
    return new Call(row, System.nanoTime(),
        new CallMeter(row.runId().substring(0, 8), mounts, preference), rewritten);
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
    Outcome outcome;
    if (thrown != null) {
      outcome = Outcome.FAILED;
    } else if (exitCode == null || exitCode == 0) {
      outcome = Outcome.OK;
    } else if (exitCode == 124) {
      outcome = Outcome.TIMED_OUT;
    } else if (exitCode == 137) {
      outcome = Outcome.OOM_KILLED;
    } else {
      outcome = Outcome.FAILED;
    }
    // No figure is invented: a call none of whose processes was measured is settled unmeasured
    // (kept out of training) rather than as a job of 0 MB.
    Usage actual = cpu == null || rss == null ? null
        : new Usage(Math.max(0, cpu), Math.max(0, rss), Math.max(0, wall));
    predictor.settle(spool, call.row(), new Settlement(actual, outcome, exitCode,
        Instant.now()));
  }

  private static Path path(Object v) {
    if (v instanceof Path p) {
      return p;
    }
    if (v instanceof File f) {
      return f.toPath();
    }
    if (v instanceof String s && !s.isBlank() && s.length() < 4096 && !s.contains("\n")) {
      try {
        return Path.of(s);
      } catch (RuntimeException e) {
        return null; // not a path: inline code
      }
    }
    return null;
  }

  private static List<Double> sizes(Object inputs) {
    List<Object> items = new ArrayList<>();
    if (inputs instanceof Collection<?> c) {
      items.addAll(c);
    } else if (inputs != null && inputs.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(inputs); i++) {
        items.add(Array.get(inputs, i));
      }
    } else if (inputs != null) {
      items.add(inputs);
    }
    List<Double> sizes = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
        sizes.add(n.doubleValue());
      } else {
        Path p = path(o);
        if (p != null && Files.exists(p)) {
          sizes.add(CommandParser.sizeMb(p));
        }
      }
    }
    return sizes;
  }

  private static Double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : null;
  }
}
