package io.forge.launcher.run;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Consumer;

/**
 * Catches SIGINT, SIGTERM and SIGHUP so the launcher can pass the very signal on to its job
 * (Ctrl-C reaches a Python job as a {@code KeyboardInterrupt}, not as a kill) and then report
 * the job's own exit. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}) reflectively:
 * it is the only way to handle signals in Java, and javac cannot be told to accept its direct
 * use without warnings. Where it is missing the JVM's default applies: the launcher's shutdown
 * hook stops the job with SIGTERM.
 */
final class Signals {

  /** The signals forwarded. */
  static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

  private Signals() {}

  /**
   * Installs {@code handler} for {@link #FORWARDED}.
   *
   * @return false when signals cannot be caught on this JVM
   */
  static boolean install(Consumer<String> handler) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      InvocationHandler call = (proxy, method, args) -> {
        if (method.getName().equals("handle") && args != null && args.length == 1) {
          handler.accept((String) signal.getMethod("getName").invoke(args[0]));
          return null;
        }
        if (method.getName().equals("toString")) {
          return "forge signal forwarder";
        }
        if (method.getName().equals("hashCode")) {
          return System.identityHashCode(proxy);
        }
        if (method.getName().equals("equals")) {
          return proxy == args[0];
        }
        return null;
      };
      Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(),
          new Class<?>[] {handlerType}, call);
      for (String name : FORWARDED) {
        Object sig = signal.getConstructor(String.class).newInstance(name);
        signal.getMethod("handle", signal, handlerType).invoke(null, sig, proxy);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
