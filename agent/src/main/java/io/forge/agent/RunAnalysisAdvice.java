package io.forge.agent;

import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every planned method. Stateless; every {@code Throwable} is suppressed, so the
 * host's method runs exactly as before whatever happens inside Forge.
 */
public final class RunAnalysisAdvice {

  private RunAnalysisAdvice() {}

  /** Plans the call; in enforce mode replaces the limit arguments. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(
      @Advice.Origin Method method,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args) {
    AgentRuntime.Call call = AgentRuntime.enter(method, args);
    if (call != null && call.rewritten() != null) {
      args = call.rewritten();
    }
    return call;
  }

  /** Measures and settles the call, also when it threw. */
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object call,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
      @Advice.Thrown Throwable thrown) {
    AgentRuntime.exit(call, result, thrown);
  }
}
