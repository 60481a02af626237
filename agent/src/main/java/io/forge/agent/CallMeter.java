package io.forge.agent;

import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcer;
import io.forge.launcher.enforce.Enforcers;
import io.forge.launcher.measure.Measurement;
import io.forge.launcher.measure.TreeSampler;
import io.forge.launcher.policy.Limits;
import io.forge.model.Usage;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The measurement of one planned call: only the processes the call itself starts count, so
 * calls running at once in one executor never mix their figures. Where the host offers a
 * writable cgroup, the call gets its own when it starts its first process, and every process
 * it starts joins it before its first instruction (its peak and CPU then come from the kernel,
 * however short it ran); elsewhere its processes are polled from the moment they start. A call
 * that started no process, or whose processes ended before any poll saw them, is unmeasured —
 * never a job of 0 MB.
 */
final class CallMeter {

  /** Polling period where no cgroup counts (the first polls come faster, see TreeSampler). */
  static final long POLL_MS = 100;

  private final String name;
  private final CgroupMounts mounts;
  private final Enforcers.Preference preference;
  private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();
  private final long startNanos = System.nanoTime();
  private Enforcer cgroups;
  private TreeSampler poller;
  private boolean finished;

  /** A meter for one call; its cgroups, named {@code forge-<name>}, are made when needed. */
  CallMeter(String name, CgroupMounts mounts, Enforcers.Preference preference) {
    this.name = name;
    this.mounts = mounts;
    this.preference = preference;
  }

  /**
   * The command to start instead of {@code command}, so the process joins the call's cgroups
   * (unchanged when it could not be started anyway: the host sees its own failure). The first
   * call makes the cgroups: a call that starts no process costs none (a cgroup made and removed
   * per call would add half a millisecond to every call of a busy executor).
   */
  synchronized List<String> wrap(List<String> command, java.io.File directory) {
    if (finished) {
      return command; // a worker the call handed work to, starting after the call returned
    }
    if (cgroups == null) {
      cgroups = Enforcers.create(name, Limits.none(), mounts, preference);
      poller = cgroups.countsMemory() ? null : TreeSampler.ofRoots(started, POLL_MS);
    }
    return cgroups.wrapIfStartable(command, directory);
  }

  /** A process the call started. */
  synchronized void started(Process process) {
    if (finished) {
      return;
    }
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
  synchronized Usage finish() {
    finished = true;
    double wall = (System.nanoTime() - startNanos) / 1e9;
    if (cgroups == null) {
      return null;
    }
    if (poller != null) {
      poller.stop();
    }
    try {
      if (started.isEmpty()) {
        return null;
      }
      return Measurement.of(cgroups.counters(), poller, wall, OptionalDouble.empty(),
          "unmeasured").usage();
    } finally {
      cgroups.release();
    }
  }
}
