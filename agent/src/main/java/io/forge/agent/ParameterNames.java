package io.forge.agent;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The parameter names of every planned method, read when its class is transformed. Reflection
 * alone is not enough: a class that was already loaded when the agent attached comes out of
 * its retransformation without its {@code MethodParameters} (seen on JDK 17: {@link
 * java.lang.reflect.Parameter#isNamePresent()} is true before and false after), so an attached
 * agent found no argument by name. Reading the names while the class is transformed maps the
 * arguments the same way whether the agent was loaded at start-up or by {@code forge-launch
 * attach}.
 */
final class ParameterNames {

  private static final Map<String, String[]> NAMES = new ConcurrentHashMap<>();

  private ParameterNames() {}

  /** Records the parameter names of {@code type}'s methods that {@code planned} matches. */
  static void remember(TypeDescription type, ElementMatcher<? super MethodDescription> planned) {
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      if (!planned.matches(m)) {
        continue;
      }
      String[] names = new String[m.getParameters().size()];
      boolean all = true;
      for (ParameterDescription.InDefinedShape p : m.getParameters()) {
        all &= p.isNamed();
        names[p.getIndex()] = p.getName();
      }
      if (all) {
        NAMES.put(key(type.getName(), m.getInternalName(), m.getDescriptor()), names);
      }
    }
  }

  /** The names recorded for {@code method}, or null when none were. */
  static String[] of(Method method) {
    String descriptor = MethodType.methodType(method.getReturnType(), method.getParameterTypes())
        .toMethodDescriptorString();
    return NAMES.get(key(method.getDeclaringClass().getName(), method.getName(), descriptor));
  }

  private static String key(String type, String method, String descriptor) {
    return type + '#' + method + descriptor;
  }
}
