package io.forge.launcher.run;

import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Catches SIGINT, SIGTERM and SIGHUP so the launcher can pass the very signal on to its job
 * (Ctrl-C reaches a Python job as a {@code KeyboardInterrupt}, not as a kill) and then report
 * the job's own exit. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}), the only
 * way to handle signals in Java; the launcher is compiled with {@code -XDignore.symbol.file}
 * so javac accepts it without a warning. Where the module is missing the JVM's default
 * applies: the launcher's shutdown hook stops the job with SIGTERM.
 */
final class Signals {

  /** The signals forwarded. */
  static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

  /** What is told of each signal caught. */
  interface Receiver {
    /** The launcher received signal {@code name} ({@code INT}, {@code TERM}, {@code HUP}). */
    void caught(String name);
  }

  private Signals() {}

  /**
   * Installs {@code receiver} for {@link #FORWARDED}.
   *
   * @return false when signals cannot be caught on this JVM
   */
  static boolean install(Receiver receiver) {
    try {
      Forwarder forwarder = new Forwarder(receiver);
      for (String name : FORWARDED) {
        Signal.handle(new Signal(name), forwarder);
      }
      return true;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The signal's number on this system ({@code INT} → 2), for the origin helper. */
  static int number(String name) {
    return new Signal(name).getNumber();
  }

  /** The handler the JVM calls, on its signal thread. */
  private static final class Forwarder implements SignalHandler {
    private final Receiver receiver;

    Forwarder(Receiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void handle(Signal signal) {
      receiver.caught(signal.getName());
    }

    @Override
    public String toString() {
      return "forge signal forwarder";
    }
  }
}
