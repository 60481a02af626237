package io.forge.launcher.measure;

import io.forge.model.Words;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Small readers of Linux {@code /proc} and cgroup files. Parsers are package-private static
 * methods over literal text (tested on strings); readers return empty on any failure — the
 * edges degrade, they never crash a launch.
 */
public final class ProcFs {

  /** Clock ticks per second of {@code /proc/<pid>/stat} times ({@code USER_HZ}, 100 on Linux). */
  public static final double TICKS_PER_SECOND = 100.0;

  private ProcFs() {}

  /** Whether this looks like Linux with {@code /proc}. */
  public static boolean available() {
    return new File("/proc/self/stat").canRead();
  }

  /**
   * CPU seconds of this process's reaped children ({@code cutime + cstime} of {@code
   * /proc/self/stat}): after {@code waitFor()} it holds the job's whole tree, exited
   * grandchildren included, as {@code time} reports it.
   */
  public static OptionalLong childrenCpuTicks() {
    String stat = text(Path.of("/proc/self/stat"));
    long ticks = stat == null ? -1 : parseChildrenTicks(stat);
    return ticks < 0 ? OptionalLong.empty() : OptionalLong.of(ticks);
  }

  /** {@code cutime + cstime} (fields 16 and 17) of a {@code stat} line; -1 when malformed. */
  static long parseChildrenTicks(String stat) {
    long[] f = statFields(stat, 16, 17);
    return f[0] < 0 || f[1] < 0 ? -1 : f[0] + f[1];
  }

  /**
   * Numeric fields of a {@code /proc/<pid>/stat} line by their number in proc(5) (1 = pid, 5 =
   * pgrp, 14 = utime, …); -1 for a field that is missing or not a number. The command name
   * (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.
   */
  public static long[] statFields(String stat, int... fields) {
    long[] values = new long[fields.length];
    Arrays.fill(values, -1);
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 > stat.length()) {
      return values;
    }
    // f[0] is field 3 (state); field n is f[n - 3].
    String[] f = Words.of(stat.substring(close + 2));
    for (int i = 0; i < fields.length; i++) {
      int k = fields[i] - 3;
      if (k >= 0 && k < f.length) {
        try {
          values[i] = Long.parseLong(f[k]);
        } catch (NumberFormatException e) {
          // stays -1
        }
      }
    }
    return values;
  }

  /**
   * CPU ticks one process has used itself ({@code utime + stime}, fields 14 and 15 of {@code
   * /proc/<pid>/stat}); its children are not included, so summing over a tree counts each once.
   */
  public static OptionalLong cpuTicks(long pid) {
    String stat = text(Path.of("/proc", Long.toString(pid), "stat"));
    long ticks = stat == null ? -1 : parseOwnTicks(stat);
    return ticks < 0 ? OptionalLong.empty() : OptionalLong.of(ticks);
  }

  /**
   * When a process started, in clock ticks since boot ({@code starttime}, field 22 of its
   * {@code stat}): unlike a wall-clock time, a clock step cannot change it. Empty when the
   * process does not exist.
   */
  public static OptionalLong startTicks(long pid) {
    String stat = text(Path.of("/proc", Long.toString(pid), "stat"));
    long[] f = stat == null ? new long[] {-1} : statFields(stat, 22);
    return f[0] < 0 ? OptionalLong.empty() : OptionalLong.of(f[0]);
  }

  /** {@code utime + stime} (fields 14 and 15) of a {@code stat} line; -1 when malformed. */
  static long parseOwnTicks(String stat) {
    long[] f = statFields(stat, 14, 15);
    return f[0] < 0 || f[1] < 0 ? -1 : f[0] + f[1];
  }

  /**
   * One process's memory as the kernel reports it.
   *
   * @param rssBytes resident set size now ({@code VmRSS})
   * @param highWaterBytes the largest resident set it has had ({@code VmHWM})
   */
  public record Memory(long rssBytes, long highWaterBytes) {}

  /** {@code VmRSS} and {@code VmHWM} of one process from {@code /proc/<pid>/status}. */
  public static Optional<Memory> memory(long pid) {
    String status = text(Path.of("/proc", Long.toString(pid), "status"));
    return status == null ? Optional.empty() : parseStatus(status);
  }

  /** The memory lines of a {@code status} text; empty for a zombie (no {@code VmRSS}). */
  static Optional<Memory> parseStatus(String status) {
    long rss = -1;
    long hwm = -1;
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("VmHWM:")) {
        hwm = kilobytes(line);
      }
    }
    if (rss < 0) {
      return Optional.empty();
    }
    return Optional.of(new Memory(rss * 1024, Math.max(rss, hwm) * 1024));
  }

  private static long kilobytes(String line) {
    String[] f = Words.of(line.substring(line.indexOf(':') + 1));
    if (f.length == 0) {
      return -1;
    }
    try {
      return Long.parseLong(f[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Pids listed in a {@code cgroup.procs} text. */
  static List<Long> parsePids(String procs) {
    List<Long> pids = new ArrayList<>();
    for (String line : procs.split("\n")) {
      String t = line.trim();
      if (!t.isEmpty()) {
        try {
          pids.add(Long.parseLong(t));
        } catch (NumberFormatException e) {
          // Not a pid line; cgroup.procs holds only pids, so ignore noise.
        }
      }
    }
    return pids;
  }

  /** Pids of a cgroup's {@code cgroup.procs}; empty when unreadable. */
  public static List<Long> cgroupPids(Path cgroupDir) {
    String procs = text(cgroupDir.resolve("cgroup.procs"));
    return procs == null ? List.of() : parsePids(procs);
  }

  /** A number file ({@code memory.max_usage_in_bytes}, {@code cpuacct.usage}, …). */
  public static OptionalLong readLong(Path file) {
    String text = text(file);
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      long value = Long.parseLong(text.trim());
      return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** A {@code key value} line of a flat-keyed file ({@code cpu.stat}, {@code memory.events}). */
  static OptionalLong parseKeyed(String text, String key) {
    for (String line : text.split("\n")) {
      String[] kv = Words.of(line);
      if (kv.length == 2 && kv[0].equals(key)) {
        try {
          return OptionalLong.of(Long.parseLong(kv[1]));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /** A key of a flat-keyed file; empty when the file or key is missing. */
  public static OptionalLong readKeyed(Path file, String key) {
    String text = text(file);
    return text == null ? OptionalLong.empty() : parseKeyed(text, key);
  }

  /** The whole text of a small file, or empty. */
  public static Optional<String> read(Path file) {
    return Optional.ofNullable(text(file));
  }

  /**
   * The whole text of a small file, or null when it cannot be read. Plain {@code java.io}: a
   * launch reads a dozen of these, and the NIO channel classes behind {@code Files.readString}
   * are not in the JDK's class-data archive.
   */
  public static String text(Path file) {
    try (FileInputStream in = new FileInputStream(file.toString())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
