package io.forge.agent;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.lang.instrument.Instrumentation;
import java.time.Clock;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code -javaagent:forge-agent.jar[=k=v,…]} (and dynamic attach): instruments the configured
 * methods with {@link RunAnalysisAdvice}. The entry point only parses the configuration and
 * installs the transformer; a failure here is logged once and leaves the host untouched.
 */
public final class ForgeAgent {

  private ForgeAgent() {}

  /** Static attach at JVM start. */
  public static void premain(String args, Instrumentation inst) {
    install(args, inst);
  }

  /** Dynamic attach to a running JVM (already-loaded classes are retransformed). */
  public static void agentmain(String args, Instrumentation inst) {
    install(args, inst);
  }

  private static void install(String args, Instrumentation inst) {
    try {
      AgentConfig config = AgentConfig.parse(args);
      AgentContext context =
          AgentContext.of(config.settings(System.getenv(), Clock.systemUTC()));
      AgentRuntime.init(config, context);
      ProcessInstrumentation.install(inst, config, context);
      ElementMatcher.Junction<MethodDescription> planned = methods(config);
      new AgentBuilder.Default()
          .disableClassFormatChanges()
          .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
          .ignore(nameStartsWith("net.bytebuddy.")
              .or(nameStartsWith("io.forge.agent."))
              .or(nameStartsWith("io.forge.launcher."))
              .or(nameStartsWith("io.forge.model."))
              .or(nameStartsWith("java."))
              .or(nameStartsWith("javax."))
              .or(nameStartsWith("jdk."))
              .or(nameStartsWith("sun."))
              .or(nameStartsWith("com.sun.")))
          .type(types(config))
          .transform((builder, type, loader, module, domain) -> {
            ParameterNames.remember(type, planned);
            return builder.visit(Advice.to(RunAnalysisAdvice.class).on(planned));
          })
          .installOn(inst);
    } catch (Throwable t) {
      AgentLog.failure("agent start-up", t);
    }
  }

  static ElementMatcher.Junction<TypeDescription> types(AgentConfig config) {
    if (config.methods().isEmpty()) {
      return not(net.bytebuddy.matcher.ElementMatchers.isInterface());
    }
    ElementMatcher.Junction<TypeDescription> any = none();
    for (String pattern : config.methods()) {
      any = any.or(nameMatches(pattern.substring(0, pattern.indexOf('#'))));
    }
    return any;
  }

  static ElementMatcher.Junction<MethodDescription> methods(AgentConfig config) {
    if (config.methods().isEmpty()) {
      return named("run_analysis").or(named("runAnalysis")).and(not(isAbstract()));
    }
    ElementMatcher.Junction<MethodDescription> any = none();
    for (String pattern : config.methods()) {
      String type = pattern.substring(0, pattern.indexOf('#'));
      String method = pattern.substring(pattern.indexOf('#') + 1);
      any = any.or(methodNameMatches(method)
          .and(net.bytebuddy.matcher.ElementMatchers.isDeclaredBy(nameMatches(type))));
    }
    return any.and(not(isAbstract()));
  }

  private static <T extends net.bytebuddy.description.NamedElement>
      ElementMatcher.Junction<T> nameMatches(String pattern) {
    return pattern.endsWith("*") ? nameStartsWith(pattern.substring(0, pattern.length() - 1))
        : named(pattern);
  }

  private static ElementMatcher.Junction<MethodDescription> methodNameMatches(String pattern) {
    return pattern.endsWith("*") ? nameStartsWith(pattern.substring(0, pattern.length() - 1))
        : named(pattern);
  }
}
