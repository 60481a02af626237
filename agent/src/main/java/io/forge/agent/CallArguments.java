package io.forge.agent;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a planned call's arguments say about its job, found by name: the method's parameter
 * names (when compiled with {@code -parameters}), the bean properties, record components and
 * public fields of a spec/request object among the arguments, or an explicit mapping from the
 * configuration. Also where each limit lives, so that {@code enforce} can rewrite it.
 */
final class CallArguments {

  /** Roles and the (normalised) names that hold them by default. */
  static final Map<String, Set<String>> ROLE_NAMES = Map.of(
      "script", Set.of("script", "scriptpath", "scriptfile", "scripttext", "code"),
      "runtime", Set.of("runtime", "runtimename", "interpreter", "language"),
      "inputs", Set.of("inputs", "inputpaths", "inputfiles", "inputsizesmb", "inputsmb", "files"),
      "analysis_id", Set.of("analysisid", "analysis", "analysisname", "jobname"),
      "memory_limit_mb", Set.of("memorylimitmb", "memorymb", "memlimitmb"),
      "timeout_seconds", Set.of("timeoutseconds", "timeouts", "timeoutsec"));

  /** A value found for a role, and how to replace it. */
  interface Slot {
    /** The current value. */
    Object value();

    /** The type the value must have when replaced. */
    Class<?> type();

    /** Replaces the value in {@code args} (which may itself be replaced for records). */
    void set(Object[] args, Object value) throws ReflectiveOperationException;
  }

  private final Map<String, Slot> slots;

  private CallArguments(Map<String, Slot> slots) {
    this.slots = slots;
  }

  /** Finds the roles among a call's arguments. */
  static CallArguments of(Method method, Object[] args, Map<String, String> mappings) {
    Map<String, Slot> found = new LinkedHashMap<>();
    Parameter[] params = method.getParameters();
    String[] remembered = null; // looked up only for a parameter without a name (attach)
    for (int i = 0; i < params.length && i < args.length; i++) {
      final int index = i;
      Class<?> type = params[i].getType();
      if (!params[i].isNamePresent() && remembered == null) {
        remembered = ParameterNames.of(method);
      }
      String name = params[i].isNamePresent() ? params[i].getName()
          : remembered != null ? remembered[i] : null;
      if (name != null) {
        assign(found, name, mappings, new Slot() {
          @Override
          public Object value() {
            return args[index];
          }

          @Override
          public Class<?> type() {
            return type;
          }

          @Override
          public void set(Object[] a, Object v) {
            a[index] = v;
          }
        });
      }
      Object arg = args[i];
      if (arg != null && isBean(arg.getClass())) {
        properties(found, arg, index, mappings);
      }
    }
    return new CallArguments(found);
  }

  Optional<Slot> slot(String role) {
    return Optional.ofNullable(slots.get(role));
  }

  Optional<Object> value(String role) {
    return slot(role).map(Slot::value);
  }

  private static void assign(Map<String, Slot> found, String name, Map<String, String> mappings,
      Slot slot) {
    String normal = normalise(name);
    for (var role : ROLE_NAMES.entrySet()) {
      String mapped = mappings.get(role.getKey());
      boolean matches = mapped != null ? normalise(mapped).equals(normal)
          : role.getValue().contains(normal);
      if (matches) {
        found.putIfAbsent(role.getKey(), slot);
      }
    }
  }

  static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  private static boolean isBean(Class<?> c) {
    return !(c.isPrimitive() || c.isArray() || c.isEnum() || Number.class.isAssignableFrom(c)
        || CharSequence.class.isAssignableFrom(c) || Collection.class.isAssignableFrom(c)
        || Map.class.isAssignableFrom(c) || Path.class.isAssignableFrom(c) || c == File.class
        || c == Boolean.class || c.getName().startsWith("java."));
  }

  /** Record components, getters (with setters) and public fields of a spec object. */
  private static void properties(Map<String, Slot> found, Object bean, int index,
      Map<String, String> mappings) {
    Class<?> c = bean.getClass();
    if (c.isRecord()) {
      RecordComponent[] components = c.getRecordComponents();
      for (int k = 0; k < components.length; k++) {
        final int component = k;
        RecordComponent rc = components[k];
        assign(found, rc.getName(), mappings, new Slot() {
          @Override
          public Object value() {
            try {
              Method accessor = rc.getAccessor();
              accessor.setAccessible(true);
              return accessor.invoke(bean);
            } catch (ReflectiveOperationException | RuntimeException e) {
              return null;
            }
          }

          @Override
          public Class<?> type() {
            return rc.getType();
          }

          @Override
          public void set(Object[] args, Object v) throws ReflectiveOperationException {
            // Records are immutable: the argument becomes a copy with one component replaced.
            Object current = args[index];
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int j = 0; j < components.length; j++) {
              Method accessor = components[j].getAccessor();
              accessor.setAccessible(true);
              values[j] = j == component ? v : accessor.invoke(current);
              types[j] = components[j].getType();
            }
            Constructor<?> canonical = c.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            args[index] = canonical.newInstance(values);
          }
        });
      }
      return;
    }
    for (Method getter : c.getMethods()) {
      String prop = propertyName(getter);
      if (prop == null) {
        continue;
      }
      Method setter = setter(c, prop, getter.getReturnType());
      assign(found, prop, mappings, new Slot() {
        @Override
        public Object value() {
          try {
            return getter.invoke(bean);
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }

        @Override
        public Class<?> type() {
          return getter.getReturnType();
        }

        @Override
        public void set(Object[] args, Object v) throws ReflectiveOperationException {
          if (setter == null) {
            throw new NoSuchMethodException("no setter for " + prop + " on " + c.getName());
          }
          setter.invoke(args[index], v);
        }
      });
    }
    for (Field f : c.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      assign(found, f.getName(), mappings, new Slot() {
        @Override
        public Object value() {
          try {
            return f.get(bean);
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }

        @Override
        public Class<?> type() {
          return f.getType();
        }

        @Override
        public void set(Object[] args, Object v) throws ReflectiveOperationException {
          if (Modifier.isFinal(f.getModifiers())) {
            throw new IllegalAccessException(f.getName() + " is final");
          }
          f.set(args[index], v);
        }
      });
    }
  }

  private static String propertyName(Method m) {
    if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
        || m.getDeclaringClass() == Object.class) {
      return null;
    }
    String n = m.getName();
    if (n.startsWith("get") && n.length() > 3) {
      return Character.toLowerCase(n.charAt(3)) + n.substring(4);
    }
    if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
      return Character.toLowerCase(n.charAt(2)) + n.substring(3);
    }
    return null;
  }

  private static Method setter(Class<?> c, String prop, Class<?> type) {
    String name = "set" + Character.toUpperCase(prop.charAt(0)) + prop.substring(1);
    try {
      return c.getMethod(name, type);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** A limit in MB or seconds converted to a slot's numeric type (rounded up for integers). */
  static Object convert(double value, Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return (int) Math.min(Integer.MAX_VALUE, Math.ceil(value));
    }
    if (type == long.class || type == Long.class) {
      return (long) Math.ceil(value);
    }
    if (type == double.class || type == Double.class) {
      return value;
    }
    if (type == float.class || type == Float.class) {
      return (float) value;
    }
    throw new IllegalArgumentException("cannot write a limit into a " + type.getSimpleName());
  }

  /** Names of the roles found, for diagnostics. */
  List<String> roles() {
    return new ArrayList<>(slots.keySet());
  }
}
