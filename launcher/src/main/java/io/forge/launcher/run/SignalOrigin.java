package io.forge.launcher.run;

import io.forge.launcher.measure.ProcFs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whether a signal the launcher caught already reached its job. A Ctrl-C typed in a terminal
 * is sent by the kernel to the terminal's whole foreground process group — the launcher and,
 * in the same group, the job; a {@code kill -INT} aimed at the launcher reaches the launcher
 * alone. Forwarding the first would make the job see two SIGINTs (a Python job's cleanup then
 * dies of a second {@code KeyboardInterrupt}); not forwarding the second would lose it.
 *
 * <p>Java's signal API gives no sender, so a small native helper ({@code forge_signals.c},
 * built when a C compiler is present, loaded only when the launcher runs in a terminal's
 * foreground) notes each signal's {@code si_code}: {@code SI_KERNEL} is the terminal. Without
 * the helper the launcher falls back to the terminal's foreground group alone, and a {@code
 * kill -INT} or {@code kill -HUP} sent from elsewhere to a launcher in a terminal's foreground
 * is then not passed on ({@code doctor} says which applies); a {@code TERM} always is.
 */
final class SignalOrigin {

  /** {@code si_code} of a signal the kernel sent itself (a terminal's Ctrl-C, a hang-up). */
  static final int SI_KERNEL = 0x80;


  private static boolean loaded;

  private SignalOrigin() {}

  private static native boolean install(int signal);

  private static native int[] last(int signal);

  /**
   * Where this process stands: its process group and whether that group is the foreground
   * group of its controlling terminal (only then can a terminal have signalled it).
   *
   * @param processGroup this process's group
   * @param terminalForeground whether it is its terminal's foreground group
   */
  record Standing(long processGroup, boolean terminalForeground) {
    /** This process's standing, from {@code /proc/self/stat}; none known off Linux. */
    static Standing current() {
      String stat = ProcFs.text(Path.of("/proc/self/stat"));
      long[] f = stat == null ? new long[] {-1, -1} : groupAndForeground(stat);
      return new Standing(f[0], f[0] > 0 && f[0] == f[1]);
    }
  }

  /** Fields 5 ({@code pgrp}) and 8 ({@code tpgid}) of a {@code stat} line; -1 when unknown. */
  static long[] groupAndForeground(String stat) {
    return ProcFs.statFields(stat, 5, 8);
  }

  /** The process group of {@code pid}, or -1. */
  static long processGroup(long pid) {
    String stat = ProcFs.text(Path.of("/proc", Long.toString(pid), "stat"));
    return stat == null ? -1 : groupAndForeground(stat)[0];
  }

  /**
   * Starts noting the origin of the given signals (numbers), which the JVM must already
   * handle. Loads the helper from the jar into {@code dir} the first time.
   *
   * @return false when the helper is not available (no C compiler at build time, another
   *     architecture, an unwritable folder): the caller falls back to the foreground group
   */
  static synchronized boolean watch(Path dir, int... signals) {
    if (!loaded) {
      loaded = load(dir);
    }
    if (!loaded) {
      return false;
    }
    boolean all = true;
    for (int s : signals) {
      all &= install(s);
    }
    return all;
  }

  /** Whether the helper is in the launcher jar for this architecture (for {@code doctor}). */
  static boolean bundled() {
    return SignalOrigin.class.getResource(resource()) != null;
  }

  private static String resource() {
    return "native/linux-" + System.getProperty("os.arch") + "/libforgesignals.so";
  }

  private static boolean load(Path dir) {
    try (InputStream in = SignalOrigin.class.getResourceAsStream(resource())) {
      if (in == null) {
        return false;
      }
      byte[] lib = in.readAllBytes();
      Path file = dir.resolve("libforgesignals-" + Integer.toHexString(
          java.util.Arrays.hashCode(lib)) + ".so");
      if (!Files.isRegularFile(file) || Files.size(file) != lib.length) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".libforgesignals", ".tmp");
        Files.write(tmp, lib);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      System.load(file.toAbsolutePath().toString());
      return true;
    } catch (IOException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * The {@code si_code} of the last delivery of a watched signal, or empty when the helper did
   * not see one.
   */
  static java.util.OptionalInt lastCode(int signal) {
    if (!loaded) {
      return java.util.OptionalInt.empty();
    }
    int[] v = last(signal);
    return v == null || v[0] == 0 ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(v[1]);
  }

  /**
   * Whether the job already received the signal the launcher caught, so passing it on would
   * deliver it twice: it came from the terminal (known from {@code si_code}, or — without the
   * helper — assumed for the signals a terminal sends, {@code INT} and {@code HUP}, when the
   * launcher is its terminal's foreground group) and the job shares the launcher's process
   * group, which the terminal signals as a whole. A terminal never sends {@code TERM}.
   *
   * @param signal the signal's name ({@code INT}, {@code TERM}, {@code HUP})
   * @param siCode the signal's {@code si_code}, when known
   * @param standing the launcher's process group and terminal standing
   * @param jobGroup the job's process group (-1 when unknown)
   */
  static boolean jobAlreadyHasIt(String signal, java.util.OptionalInt siCode, Standing standing,
      long jobGroup) {
    if (jobGroup < 0 || jobGroup != standing.processGroup()) {
      return false;
    }
    if (siCode.isPresent()) {
      return siCode.getAsInt() == SI_KERNEL;
    }
    return !signal.equals("TERM") && standing.terminalForeground();
  }
}
