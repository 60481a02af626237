package io.forge.launcher.measure;

import java.util.OptionalDouble;

/**
 * What the kernel counted for a job's cgroups, read after it ended.
 *
 * @param peakRssMb the memory cgroup's peak, MB (empty without a memory cgroup)
 * @param peakSource which counter gave the peak ({@code cgroup-v2}, {@code cgroup-v1})
 * @param cpuSeconds the cgroup's CPU counter, seconds (empty without a CPU-counting cgroup)
 */
public record KernelCounters(OptionalDouble peakRssMb, String peakSource,
    OptionalDouble cpuSeconds) {}
