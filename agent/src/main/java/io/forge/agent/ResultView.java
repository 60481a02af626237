package io.forge.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The numeric properties of a call's return value (record components, getters, public
 * fields, or map entries), by normalised name: how actuals such as the spec's {@code
 * RuntimeResult} are read without knowing its class.
 */
final class ResultView {

  private final Map<String, Double> numbers;

  private ResultView(Map<String, Double> numbers) {
    this.numbers = numbers;
  }

  static ResultView of(Object result) {
    Map<String, Double> n = new HashMap<>();
    Class<?> c = result.getClass();
    if (result instanceof Map<?, ?> map) {
      map.forEach((k, v) -> put(n, String.valueOf(k), v));
    } else if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        try {
          Method accessor = rc.getAccessor();
          accessor.setAccessible(true);
          put(n, rc.getName(), accessor.invoke(result));
        } catch (ReflectiveOperationException | RuntimeException e) {
          // An unreadable component is simply not an actual.
        }
      }
    } else {
      for (Method m : c.getMethods()) {
        if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
            && m.getName().startsWith("get") && m.getDeclaringClass() != Object.class) {
          try {
            put(n, m.getName().substring(3), m.invoke(result));
          } catch (ReflectiveOperationException | RuntimeException e) {
            // Same: not an actual.
          }
        }
      }
      for (Field f : c.getFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          try {
            put(n, f.getName(), f.get(result));
          } catch (ReflectiveOperationException | RuntimeException e) {
            // Same: not an actual.
          }
        }
      }
    }
    return new ResultView(n);
  }

  private static void put(Map<String, Double> n, String name, Object v) {
    if (v instanceof Number number && Double.isFinite(number.doubleValue())) {
      n.put(CallArguments.normalise(name), number.doubleValue());
    }
  }

  /** The first of {@code names} present. */
  Optional<Double> number(String... names) {
    for (String name : names) {
      Double v = numbers.get(name);
      if (v != null) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
