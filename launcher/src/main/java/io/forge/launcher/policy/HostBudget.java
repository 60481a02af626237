package io.forge.launcher.policy;

import io.forge.launcher.measure.ProcFs;
import io.forge.model.Words;
import java.nio.file.Path;
import java.util.Map;

/**
 * Memory the host can give one job, MB: {@code FORGE_HOST_BUDGET_MB} when set, otherwise the
 * physical memory less a reserve for the system (the larger of 1 GiB and 10%). Physical memory
 * comes from {@code /proc/meminfo} on Linux (a single small read) and from OSHI elsewhere,
 * whose first use costs hundreds of milliseconds.
 *
 * @param budgetMb the budget
 * @param source how it was found, for {@code doctor}
 */
public record HostBudget(double budgetMb, String source) {

  /** Reserve kept for the system: at least this many MB. */
  public static final double MIN_RESERVE_MB = 1024;

  /** Reserve kept for the system: at least this share of physical memory. */
  public static final double RESERVE_SHARE = 0.10;

  /**
   * Reads the budget.
   *
   * @throws IllegalArgumentException when {@code FORGE_HOST_BUDGET_MB} is not a positive number
   */
  public static HostBudget detect(Map<String, String> env) {
    String override = env.get("FORGE_HOST_BUDGET_MB");
    if (override != null && !override.isBlank()) {
      double mb;
      try {
        mb = Double.parseDouble(override.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "FORGE_HOST_BUDGET_MB must be a number of MB, got '" + override + "'");
      }
      if (!(mb > 0) || !Double.isFinite(mb)) {
        throw new IllegalArgumentException("FORGE_HOST_BUDGET_MB must be > 0, got " + override);
      }
      return new HostBudget(mb, "FORGE_HOST_BUDGET_MB");
    }
    double physical = physicalMemoryMb();
    return new HostBudget(
        Math.max(1, physical - Math.max(MIN_RESERVE_MB, RESERVE_SHARE * physical)),
        "physical memory " + Math.round(physical) + " MB less reserve");
  }

  static double physicalMemoryMb() {
    String meminfo = ProcFs.text(Path.of("/proc/meminfo"));
    if (meminfo != null) {
      try {
        long kb = parseMemTotalKb(meminfo);
        if (kb > 0) {
          return kb / 1024.0;
        }
      } catch (RuntimeException e) {
        // Fall back to OSHI below.
      }
    }
    return new oshi.SystemInfo().getHardware().getMemory().getTotal() / (1024.0 * 1024.0);
  }

  /** The {@code MemTotal} of a {@code /proc/meminfo} text, kB; -1 when absent. */
  static long parseMemTotalKb(String meminfo) {
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = Words.of(line.substring(9));
        return parts.length == 0 ? -1 : Long.parseLong(parts[0]);
      }
    }
    return -1;
  }
}
