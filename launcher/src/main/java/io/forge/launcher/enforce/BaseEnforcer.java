package io.forge.launcher.enforce;

import io.forge.launcher.measure.KernelCounters;
import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.measure.TreeSampler;
import io.forge.launcher.policy.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every mechanism shares: the job's cgroups (a v2 child — even without controllers it
 * gives exact CPU and {@code cgroup.kill} — and v1 memory or {@code cpuacct} children), the
 * wrapper that places the job in them, the poller, finding and killing the job's processes,
 * and removing the cgroups. Subclasses say how the memory cap is set, read and detected.
 */
abstract class BaseEnforcer implements Enforcer {

  /** Polling period of the tree sampler, ms. */
  static final long POLL_MS = 100;

  /** {@code $0} of the wrapper shell: how {@link Enforcers#isWrapper} recognises one. */
  static final String WRAPPER_NAME = "forge-cgroup-join";

  /** Cgroups {@link #release} could not remove yet (still holding a process). */
  private static final Set<Path> LEFT_OVER = ConcurrentHashMap.newKeySet();

  /** Whether the hook that removes {@link #LEFT_OVER} at exit is registered. */
  private static final AtomicBoolean CLEANUP_AT_EXIT = new AtomicBoolean();

  final Limits limits;
  final Cgroups cgroups;
  private final CgroupFs fs;
  private TreeSampler sampler;
  private Process process;
  private boolean closed;

  /**
   * The cgroups made for one job.
   *
   * @param v2 a child in the v2 tree, or null
   * @param v1Memory a child of the v1 memory cgroup, or null
   * @param v1Cpu a child of the v1 {@code cpuacct} cgroup, or null
   * @param created every one of them, to remove
   * @param notes why better ones were not made
   */
  record Cgroups(Path v2, Path v1Memory, Path v1Cpu, List<Path> created, List<String> notes) {
    /** The first cgroup whose {@code cgroup.procs} lists the job's processes, or null. */
    Path pidSource() {
      return v2 != null ? v2 : v1Memory;
    }
  }

  BaseEnforcer(Limits limits, Cgroups cgroups, CgroupFs fs) {
    this.limits = limits;
    this.cgroups = cgroups;
    this.fs = fs;
  }

  /** Sets the memory cap (called once, before the job starts). */
  abstract void applyLimit(long bytes) throws IOException;

  /** The memory cgroup's peak in bytes, if one counts it. */
  abstract OptionalLong kernelPeakBytes();

  /** Whether the kernel killed a process of the job at the cap. */
  abstract boolean kernelOomKilled();

  @Override
  public Limits limits() {
    return limits;
  }

  @Override
  public List<String> notes() {
    return List.copyOf(cgroups.notes());
  }

  @Override
  public List<String> wrap(List<String> command) {
    List<Path> procs = new ArrayList<>();
    for (Path dir : new Path[] {cgroups.v2(), cgroups.v1Memory(), cgroups.v1Cpu()}) {
      if (dir != null) {
        procs.add(dir.resolve("cgroup.procs"));
      }
    }
    if (procs.isEmpty()) {
      return command;
    }
    StringBuilder script = new StringBuilder("{ ");
    for (int i = 0; i < procs.size(); i++) {
      script.append(i == 0 ? "" : " && ").append("echo $$ > '").append(procs.get(i)).append("'");
    }
    script.append("; } 2>/dev/null || { echo 'forge: cannot join the job cgroup' >&2; exit 125; };"
        + " exec \"$@\"");
    List<String> wrapped =
        new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), WRAPPER_NAME));
    wrapped.addAll(command);
    return wrapped;
  }

  @Override
  public void attach(Process started) {
    this.process = started;
    Double watchdogCap = mechanism() == Mechanism.WATCHDOG ? limits.memoryLimitMb() : null;
    sampler = TreeSampler.ofJob(started.toHandle(), cgroups.pidSource(), countsMemory(),
        cgroups.v2() != null || cgroups.v1Cpu() != null, watchdogCap, POLL_MS, new Runnable() {
          @Override
          public void run() {
            killAll();
          }
        });
    sampler.start();
  }

  @Override
  public TreeSampler poller() {
    return sampler;
  }

  @Override
  public boolean capHit() {
    return (sampler != null && sampler.capExceeded()) || kernelOomKilled();
  }

  /** The job's direct child, once attached (for subclasses' exit checks). */
  Process process() {
    return process;
  }

  @Override
  public KernelCounters counters() {
    OptionalLong peak = kernelPeakBytes();
    return new KernelCounters(
        peak.isPresent() ? OptionalDouble.of(peak.getAsLong() / (1024.0 * 1024.0))
            : OptionalDouble.empty(),
        mechanism().cliName(), cpuSeconds());
  }

  private OptionalDouble cpuSeconds() {
    if (cgroups.v2() != null) {
      OptionalLong usec = ProcFs.readKeyed(cgroups.v2().resolve("cpu.stat"), "usage_usec");
      if (usec.isPresent()) {
        return OptionalDouble.of(usec.getAsLong() / 1e6);
      }
    }
    if (cgroups.v1Cpu() != null) {
      OptionalLong ns = ProcFs.readLong(cgroups.v1Cpu().resolve("cpuacct.usage"));
      if (ns.isPresent()) {
        return OptionalDouble.of(ns.getAsLong() / 1e9);
      }
    }
    return OptionalDouble.empty();
  }

  @Override
  public List<ProcessHandle> processes() {
    List<ProcessHandle> handles = new ArrayList<>();
    Path pidSource = cgroups.pidSource();
    if (pidSource != null) {
      TreeSampler.addInCgroup(pidSource, handles);
    }
    if (process != null && process.isAlive()) {
      // Once the job's direct child has exited its orphans are no longer its descendants (the
      // kernel reparents them): only the cgroup and the sampler still know them.
      TreeSampler.addDescendants(process.toHandle(), handles);
      handles.add(process.toHandle());
    }
    if (sampler != null) {
      handles.addAll(sampler.seenAlive());
    }
    return handles;
  }

  @Override
  public void killAll() {
    if (cgroups.v2() != null && cgroups.v2().resolve("cgroup.kill").toFile().exists()) {
      writeQuietly(cgroups.v2().resolve("cgroup.kill"), "1");
    }
    for (ProcessHandle h : processes()) {
      h.destroyForcibly();
    }
  }

  /** Marks this closed and stops the poller; false when it was closed already. */
  private synchronized boolean stopPolling() {
    if (closed) {
      return false;
    }
    closed = true;
    if (sampler != null) {
      sampler.stop();
    }
    return true;
  }

  @Override
  public void close() {
    if (!stopPolling()) {
      return;
    }
    if (!cgroups.created().isEmpty() || sampler != null) {
      killAll();
    }
    List<Path> created = cgroups.created();
    for (int i = created.size() - 1; i >= 0; i--) {
      removeCgroup(created.get(i));
    }
  }

  @Override
  public void release() {
    if (!stopPolling()) {
      return;
    }
    LEFT_OVER.addAll(cgroups.created());
    removeLeftOvers();
    if (!LEFT_OVER.isEmpty() && CLEANUP_AT_EXIT.compareAndSet(false, true)) {
      // Only a process that leaves cgroups behind (the agent's) needs a hook; a launch has none.
      Runtime.getRuntime().addShutdownHook(new Thread("forge-cgroup-cleanup") {
        @Override
        public void run() {
          removeLeftOvers();
        }
      });
    }
  }

  private void removeCgroup(Path dir) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        fs.remove(dir);
        return;
      } catch (IOException e) {
        // EBUSY while the killed processes are still being reaped.
        List<ProcessHandle> stragglers = new ArrayList<>();
        TreeSampler.addInCgroup(dir, stragglers);
        for (ProcessHandle h : stragglers) {
          h.destroyForcibly();
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    System.err.println("forge: could not remove cgroup " + dir);
  }

  private static final Comparator<Path> DEEPEST_FIRST = new Comparator<>() {
    @Override
    public int compare(Path a, Path b) {
      return Integer.compare(b.getNameCount(), a.getNameCount());
    }
  };

  private static void removeLeftOvers() {
    // Children before parents: a v2 child cgroup is made under the process's own one.
    List<Path> dirs = new ArrayList<>(LEFT_OVER);
    dirs.sort(DEEPEST_FIRST);
    for (Path dir : dirs) {
      try {
        Files.deleteIfExists(dir);
        LEFT_OVER.remove(dir);
      } catch (IOException e) {
        // EBUSY: a process of the call still runs in it; tried again later.
      }
    }
  }

  /** Writes an optional knob (swap limit, delegation, cgroup.kill); doctor reports its absence. */
  static void writeQuietly(Path file, String value) {
    try {
      CgroupFs.write(file, value);
    } catch (IOException | RuntimeException e) {
      // Optional knob: doctor reports what the host lacks.
    }
  }
}
