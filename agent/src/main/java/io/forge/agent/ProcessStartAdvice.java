package io.forge.agent;

import java.util.function.Function;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ProcessBuilder.start()}. The code runs inside
 * a bootstrap class, which cannot see the agent's classes, so it reaches the agent through a
 * {@link Function} the agent leaves in the system properties under {@link #HOOK} — only JDK
 * types cross the boundary, and nothing has to be added to the bootstrap class path (which would
 * make the JVM print a class-sharing warning into the host's output). Parameters are typed
 * {@code Object}: naming {@code ProcessBuilder} here makes ByteBuddy resolve the very class it
 * is retransforming, which fails with a {@code ClassCircularityError}.
 */
public final class ProcessStartAdvice {

  /** System-properties key of the agent's hook. */
  public static final String HOOK = "io.forge.agent.processHook";

  private ProcessStartAdvice() {}

  /** Measures or plans the process (may wrap its command so it starts inside a cgroup). */
  @SuppressWarnings("unchecked")
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.This Object builder) {
    Object hook = System.getProperties().get(HOOK);
    return hook instanceof Function<?, ?> f
        ? ((Function<Object[], Object>) f).apply(new Object[] {builder}) : null;
  }

  /** Restores the builder's command and follows the process to its end. */
  @SuppressWarnings("unchecked")
  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object builder, @Advice.Enter Object token,
      @Advice.Return Object process, @Advice.Thrown Throwable thrown) {
    Object hook = System.getProperties().get(HOOK);
    if (token != null && hook instanceof Function<?, ?> f) {
      ((Function<Object[], Object>) f).apply(new Object[] {builder, token, process, thrown});
    }
  }
}
