package io.forge.launcher.enforce;

import io.forge.launcher.policy.Limits;
import java.util.OptionalLong;

/**
 * No writable memory cgroup: the poller sums the job's resident memory and kills the whole
 * tree when it passes the cap. A v2 child without controllers or a v1 {@code cpuacct} child,
 * where one could be made, still counts the CPU.
 */
final class WatchdogEnforcer extends BaseEnforcer {

  WatchdogEnforcer(Limits limits, Cgroups cgroups, CgroupFs fs) {
    super(limits, cgroups, fs);
  }

  @Override
  public Mechanism mechanism() {
    return Mechanism.WATCHDOG;
  }

  @Override
  public boolean countsMemory() {
    return false;
  }

  @Override
  void applyLimit(long bytes) {
    // The poller enforces the cap (see attach).
  }

  @Override
  OptionalLong kernelPeakBytes() {
    return OptionalLong.empty();
  }

  @Override
  boolean kernelOomKilled() {
    return false;
  }
}
