package io.forge.launcher.enforce;

import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.policy.Limits;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * The cap in a child cgroup with the v2 memory controller: {@code memory.max} with {@code
 * memory.swap.max = 0}, the peak from {@code memory.peak}, OOM kills from {@code
 * memory.events}.
 */
final class CgroupV2Enforcer extends BaseEnforcer {

  CgroupV2Enforcer(Limits limits, Cgroups cgroups, CgroupFs fs) {
    super(limits, cgroups, fs);
  }

  @Override
  public Mechanism mechanism() {
    return Mechanism.CGROUP_V2;
  }

  @Override
  public boolean countsMemory() {
    return true;
  }

  @Override
  void applyLimit(long bytes) throws IOException {
    CgroupFs.write(cgroups.v2().resolve("memory.max"), Long.toString(bytes));
    writeQuietly(cgroups.v2().resolve("memory.swap.max"), "0");
  }

  @Override
  OptionalLong kernelPeakBytes() {
    return ProcFs.readLong(cgroups.v2().resolve("memory.peak"));
  }

  @Override
  boolean kernelOomKilled() {
    return ProcFs.readKeyed(cgroups.v2().resolve("memory.events"), "oom_kill").orElse(0) > 0;
  }
}
