package io.forge.launcher.measure;

import io.forge.model.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a job used, from the best source for each figure: peak RSS = the larger of the kernel's
 * figure and the polled one; CPU = the cgroup's counter, else the caller's fallback (this
 * JVM's reaped-children counter), else what the poller saw; wall as the caller measured it.
 *
 * @param usage the figures, or null when the job was not measured: no kernel counter, and it
 *     ended before any poll saw it (never recorded as a job of 0 MB)
 * @param sources per figure, where it came from ({@code unmeasured} when nothing did)
 */
public record Measurement(Usage usage, Map<String, String> sources) {

  /** Combines the kernel's counters, the poller's view and the caller's figures. */
  public static Measurement of(KernelCounters kernel, TreeSampler poller, double wallSeconds,
      OptionalDouble fallbackCpuSeconds, String fallbackCpuSource) {
    Map<String, String> sources = new LinkedHashMap<>();
    boolean polledAny = poller != null && poller.sawProcesses();
    double polled = poller == null ? 0 : poller.peakBytes() / (1024.0 * 1024.0);
    Double peak = null;
    if (kernel.peakRssMb().isPresent() && kernel.peakRssMb().getAsDouble() >= polled) {
      peak = kernel.peakRssMb().getAsDouble();
      sources.put("peak_rss_mb", kernel.peakSource());
    } else if (polledAny) {
      peak = polled;
      sources.put("peak_rss_mb", "poll");
    } else {
      sources.put("peak_rss_mb", "unmeasured");
    }
    Double cpu = null;
    if (kernel.cpuSeconds().isPresent()) {
      cpu = kernel.cpuSeconds().getAsDouble();
      sources.put("cpu_seconds", "cgroup");
    } else if (fallbackCpuSeconds.isPresent()) {
      cpu = fallbackCpuSeconds.getAsDouble();
      sources.put("cpu_seconds", fallbackCpuSource);
    } else if (polledAny) {
      cpu = poller.cpuSecondsSeen();
      sources.put("cpu_seconds", "poll");
    } else {
      sources.put("cpu_seconds", "unmeasured");
    }
    sources.put("wall_seconds", "monotonic");
    Usage usage = peak == null || cpu == null ? null
        : new Usage(Math.max(0, cpu), peak, wallSeconds);
    return new Measurement(usage, sources);
  }

  /**
   * The same figures for a job the memory cap killed: its true peak was at least the cap, and
   * a kernel's count taken after the kill can be lower.
   */
  public Measurement atLeastCap(Double capMb) {
    if (usage == null || capMb == null || usage.peakRssMb() >= capMb) {
      return this;
    }
    return new Measurement(new Usage(usage.cpuSeconds(), capMb, usage.wallSeconds()), sources);
  }
}
