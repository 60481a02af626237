package io.forge.agent;

import io.forge.launcher.enforce.Enforcers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What {@link ProcessStartAdvice} calls around every {@code ProcessBuilder.start()}: a process
 * started by a planned call joins that call's measurement (the call on the starting thread, or
 * the only call in flight when the process is started elsewhere); any other process is planned
 * on its own when {@code processes=true} ({@link ProcessPlanner}) and left alone otherwise.
 * Never throws.
 */
final class ProcessHook implements Function<Object[], Object> {

  /** Processes Forge starts itself ({@code kill}, …) are neither measured nor planned. */
  static final ThreadLocal<Boolean> OWN = ThreadLocal.withInitial(() -> false);

  private record CallToken(AgentRuntime.Call call, List<String> original) {}

  private final ProcessPlanner planner;

  /** A hook; {@code planner} is null unless {@code processes=true}. */
  ProcessHook(ProcessPlanner planner) {
    this.planner = planner;
  }

  /**
   * {@code [builder]} before {@code start()} (returns a token or null), {@code [builder, token,
   * process, thrown]} after.
   */
  @Override
  public Object apply(Object[] args) {
    try {
      ProcessBuilder builder = (ProcessBuilder) args[0];
      if (args.length == 1) {
        return before(builder);
      }
      after(builder, args[1], (Process) args[2], (Throwable) args[3]);
    } catch (Throwable t) {
      AgentLog.failure("following a process", t);
    }
    return null;
  }

  private Object before(ProcessBuilder builder) {
    List<String> command = builder.command();
    if (OWN.get() || command.isEmpty() || Enforcers.isWrapper(command)) {
      return null;
    }
    AgentRuntime.Call call = AgentRuntime.callStartingProcesses();
    if (call != null) {
      List<String> original = new ArrayList<>(command);
      builder.command(call.meter().wrap(original, builder.directory()));
      return new CallToken(call, original);
    }
    return planner == null ? null : planner.before(builder);
  }

  private void after(ProcessBuilder builder, Object token, Process process, Throwable thrown) {
    if (token instanceof CallToken t) {
      builder.command(t.original());
      if (process != null && thrown == null) {
        t.call().meter().started(process);
      }
    } else if (planner != null) {
      planner.after(builder, token, process, thrown);
    }
  }
}
