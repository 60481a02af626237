package io.forge.launcher.enforce;

import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.policy.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The cap in a child of the v1 memory cgroup: {@code memory.limit_in_bytes}, and {@code
 * memory.memsw.limit_in_bytes} where swap accounting exists; the peak from {@code
 * memory.max_usage_in_bytes}; OOM kills from {@code memory.oom_control} (or, on kernels that do
 * not count them there, a hit limit and a job that died of SIGKILL).
 */
final class CgroupV1Enforcer extends BaseEnforcer {

  CgroupV1Enforcer(Limits limits, Cgroups cgroups, CgroupFs fs) {
    super(limits, cgroups, fs);
  }

  @Override
  public Mechanism mechanism() {
    return Mechanism.CGROUP_V1;
  }

  @Override
  public boolean countsMemory() {
    return true;
  }

  private Path dir() {
    return cgroups.v1Memory();
  }

  @Override
  void applyLimit(long bytes) throws IOException {
    CgroupFs.write(dir().resolve("memory.limit_in_bytes"), Long.toString(bytes));
    Path memsw = dir().resolve("memory.memsw.limit_in_bytes");
    if (memsw.toFile().exists()) {
      writeQuietly(memsw, Long.toString(bytes));
    }
  }

  @Override
  OptionalLong kernelPeakBytes() {
    return ProcFs.readLong(dir().resolve("memory.max_usage_in_bytes"));
  }

  @Override
  boolean kernelOomKilled() {
    if (ProcFs.readKeyed(dir().resolve("memory.oom_control"), "oom_kill").orElse(0) > 0) {
      return true;
    }
    Process p = process();
    return limits.memoryLimitMb() != null
        && ProcFs.readLong(dir().resolve("memory.failcnt")).orElse(0) > 0
        && p != null && !p.isAlive() && p.exitValue() == 128 + 9;
  }
}
