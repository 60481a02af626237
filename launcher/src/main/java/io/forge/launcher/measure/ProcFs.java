package io.forge.launcher.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Small readers of Linux {@code /proc} and cgroup files. Parsers are package-private static
 * methods over literal text (tested on strings); readers return empty on any failure — the
 * edges degrade, they never crash a launch.
 */
public final class ProcFs {

  /** Clock ticks per second of {@code /proc/<pid>/stat} times ({@code USER_HZ}, 100 on Linux). */
  public static final double TICKS_PER_SECOND = 100.0;

  /** Page size assumed for {@code statm} (4 KiB on x86-64 and default arm64 kernels). */
  public static final long PAGE_BYTES = 4096;

  private ProcFs() {}

  /** Whether this looks like Linux with {@code /proc}. */
  public static boolean available() {
    return Files.isReadable(Path.of("/proc/self/stat"));
  }

  /**
   * CPU seconds of this process's reaped children ({@code cutime + cstime} of {@code
   * /proc/self/stat}): after {@code waitFor()} it holds the job's whole tree, exited
   * grandchildren included, as {@code time} reports it.
   */
  public static OptionalLong childrenCpuTicks() {
    return read(Path.of("/proc/self/stat")).stream()
        .mapToLong(ProcFs::parseChildrenTicks)
        .filter(v -> v >= 0)
        .findFirst();
  }

  /** {@code cutime + cstime} (fields 16 and 17) of a {@code stat} line; -1 when malformed. */
  static long parseChildrenTicks(String stat) {
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return -1;
    }
    String[] f = stat.substring(close + 2).trim().split("\\s+");
    // f[0] is field 3 (state); field n is f[n - 3].
    if (f.length < 15) {
      return -1;
    }
    try {
      return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Resident set size of one process in bytes, from {@code /proc/<pid>/statm}. */
  public static OptionalLong rssBytes(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "statm")).stream()
        .mapToLong(ProcFs::parseStatmRssBytes)
        .filter(v -> v >= 0)
        .findFirst();
  }

  /** Second field of {@code statm} (resident pages) in bytes; -1 when malformed. */
  static long parseStatmRssBytes(String statm) {
    String[] f = statm.trim().split("\\s+");
    if (f.length < 2) {
      return -1;
    }
    try {
      return Long.parseLong(f[1]) * PAGE_BYTES;
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
    return read(cgroupDir.resolve("cgroup.procs")).map(ProcFs::parsePids).orElse(List.of());
  }

  /** A number file ({@code memory.max_usage_in_bytes}, {@code cpuacct.usage}, …). */
  public static OptionalLong readLong(Path file) {
    return read(file).stream()
        .map(String::trim)
        .filter(s -> s.matches("\\d+"))
        .mapToLong(Long::parseLong)
        .findFirst();
  }

  /** A {@code key value} line of a flat-keyed file ({@code cpu.stat}, {@code memory.events}). */
  static OptionalLong parseKeyed(String text, String key) {
    for (String line : text.split("\n")) {
      String[] kv = line.trim().split("\\s+");
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
    return read(file).map(t -> parseKeyed(t, key)).orElse(OptionalLong.empty());
  }

  /** The whole text of a small file, or empty. */
  public static java.util.Optional<String> read(Path file) {
    try {
      return java.util.Optional.of(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
