package io.forge.launcher.measure;

import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Per-process memory through OSHI, for hosts without {@code /proc} (macOS, Windows). Loaded
 * lazily: OSHI's first {@code SystemInfo} costs 350–450 ms (it runs {@code uname}, {@code
 * ldconfig -p} and {@code id}), so Linux launches never touch it. Only {@code getProcess(pid)}
 * is used (≈ 0.3 ms); {@code getDescendantProcesses} took 11 ms per call.
 */
final class OshiProcesses {

  private OshiProcesses() {}

  private static final class Holder {
    static final OperatingSystem OS = new SystemInfo().getOperatingSystem();
  }

  /** Resident set size of a process in bytes, 0 when it is gone or unreadable. */
  static long rssBytes(long pid) {
    try {
      OSProcess p = Holder.OS.getProcess((int) pid);
      return p == null ? 0 : p.getResidentSetSize();
    } catch (RuntimeException | LinkageError e) {
      return 0; // best effort at the edge: a process that vanished mid-read
    }
  }
}
