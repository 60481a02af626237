package io.forge.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Leaves the {@link ProcessHook} where the advice finds it and weaves {@link ProcessStartAdvice}
 * into {@code ProcessBuilder.start()}, which is already loaded and so retransformed: how a
 * planned call's processes are measured, and how {@code processes=true} plans every process.
 */
final class ProcessInstrumentation {

  private ProcessInstrumentation() {}

  /** Reports a failed transformation once (otherwise ByteBuddy would swallow it). */
  static final class ErrorListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, net.bytebuddy.utility.JavaModule
        module, boolean loaded, Throwable throwable) {
      AgentLog.failure("instrumenting " + typeName, throwable);
    }
  }

  /** Installs the hook and the advice. */
  static void install(Instrumentation inst, AgentConfig config, AgentContext context) {
    System.getProperties().put(ProcessStartAdvice.HOOK,
        new ProcessHook(config.processes() ? new ProcessPlanner(context) : null));
    new AgentBuilder.Default()
        .ignore(none())
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new ErrorListener())
        .type(named("java.lang.ProcessBuilder"))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(ProcessStartAdvice.class).on(named("start").and(takesNoArguments()))))
        .installOn(inst);
  }
}
