package io.forge.agent;

import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcement;
import io.forge.launcher.measure.TreeSampler;
import io.forge.launcher.policy.Limits;
import io.forge.model.Usage;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The measurement of one planned call: only the processes the call itself starts count, so
 * calls running at once in one executor never mix their figures. Where the host offers a
 * writable cgroup, each call gets its own and every process it starts joins it before its
 * first instruction (its peak and CPU then come from the kernel, however short it ran);
 * elsewhere its processes are polled from the moment they start. A call that started no
 * process, or whose processes ended before any poll saw them, is unmeasured — never a job of
 * 0 MB.
 */
final class CallMeter {

  /** Polling period where no cgroup counts (the first polls come faster, see TreeSampler). */
  static final long POLL_MS = 100;

  private final Enforcement cgroups;
  private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();
  private final TreeSampler poller;
  private final long startNanos = System.nanoTime();

  private CallMeter(Enforcement cgroups) {
    this.cgroups = cgroups;
    this.poller = cgroups.countsMemory() ? null : TreeSampler.ofRoots(started, POLL_MS);
  }

  /** A meter for one call, with cgroups named after its run when the host allows them. */
  static CallMeter open(String name, CgroupMounts mounts, Enforcement.Preference preference) {
    return new CallMeter(Enforcement.prepare(name, Limits.none(), mounts, preference));
  }

  /**
   * The command to start instead of {@code command}, so the process joins the call's cgroups
   * (unchanged when it could not be started anyway: the host sees its own failure).
   */
  List<String> wrap(List<String> command, java.io.File directory) {
    return cgroups.wrapIfStartable(command, directory);
  }

  /** A process the call started. */
  void started(Process process) {
    started.add(process.toHandle());
    if (poller != null) {
      if (started.size() == 1) {
        poller.start();
      } else {
        poller.sampleOnce();
      }
    }
  }

  /**
   * What the call's processes used, or null when it is unmeasured; then releases the cgroups
   * (its processes, if any still run, are left alone).
   */
  Usage finish() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    if (poller != null) {
      poller.stop();
    }
    try {
      if (started.isEmpty()) {
        return null;
      }
      return cgroups.measureWith(poller, wall, OptionalDouble.empty(), "unmeasured").usage();
    } finally {
      cgroups.release();
    }
  }
}
