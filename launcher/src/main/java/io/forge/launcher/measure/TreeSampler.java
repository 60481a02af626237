package io.forge.launcher.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls the summed resident memory of a job's process tree: the peak where no memory cgroup
 * counts it, and the watchdog that kills the tree when the sum passes a cap. Pids come from the
 * job's cgroup when it has one (cheap, and it includes orphans) and from the process tree
 * otherwise. Each poll reads one small {@code statm} file per process on Linux and asks OSHI
 * elsewhere.
 */
public final class TreeSampler {

  private static final boolean PROC = ProcFs.available();

  /** Slowest polling when the sampler only measures (a kernel counter is the main source). */
  static final long MAX_MEASURE_ONLY_PERIOD_MS = 2000;

  private final ProcessHandle root;
  private final boolean includeRoot;
  private final Path cgroupDir;
  private final Double capMb;
  private final long periodMs;
  private final Runnable onCapExceeded;
  private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
  private volatile long peakBytes;
  private volatile boolean capExceeded;
  private volatile boolean running = true;
  private Thread thread;

  /**
   * A sampler.
   *
   * @param root the job's direct child
   * @param cgroupDir the job's cgroup (pids from its {@code cgroup.procs}), or null
   * @param capMb watchdog cap, or null to measure only
   * @param periodMs polling period
   * @param onCapExceeded called once when the cap is passed
   */
  public TreeSampler(
      ProcessHandle root, Path cgroupDir, Double capMb, long periodMs, Runnable onCapExceeded) {
    this(root, true, cgroupDir, capMb, periodMs, onCapExceeded);
  }

  /**
   * A sampler of {@code root}'s descendants only ({@code includeRoot = false}): how the agent
   * measures the child processes of a JVM without counting the JVM itself.
   */
  public TreeSampler(ProcessHandle root, boolean includeRoot, Path cgroupDir, Double capMb,
      long periodMs, Runnable onCapExceeded) {
    this.includeRoot = includeRoot;
    this.root = root;
    this.cgroupDir = cgroupDir;
    this.capMb = capMb;
    this.periodMs = periodMs;
    this.onCapExceeded = onCapExceeded;
  }

  /** Starts the daemon polling thread. */
  public void start() {
    thread = new Thread(this::loop, "forge-tree-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long started = System.nanoTime();
    while (running) {
      // Sleep first: a call or job shorter than one period costs no scan of the process table
      // (its peak then comes from the kernel's counter where there is one).
      try {
        Thread.sleep(nextPeriodMs((System.nanoTime() - started) / 1_000_000));
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        sampleOnce();
      }
    }
  }

  /**
   * The polling period after {@code ageMs} of the job: the base period for the first two
   * seconds (short jobs and fast-growing ones), then doubling up to eight times the base for a
   * watchdog and to {@link #MAX_MEASURE_ONLY_PERIOD_MS} when a kernel counter already records
   * the peak — so a long job costs the launcher well under 1% of its wall time.
   */
  long nextPeriodMs(long ageMs) {
    long period = periodMs;
    for (long t = 2000; t <= ageMs && period < limitMs(); t *= 2) {
      period *= 2;
    }
    return Math.min(period, limitMs());
  }

  private long limitMs() {
    return capMb != null ? periodMs * 8 : Math.max(periodMs, MAX_MEASURE_ONLY_PERIOD_MS);
  }

  /** Takes one sample now. */
  public void sampleOnce() {
    long sum = 0;
    for (ProcessHandle h : tree()) {
      seen.putIfAbsent(h.pid(), h);
      sum += PROC ? ProcFs.rssBytes(h.pid()).orElse(0) : OshiProcesses.rssBytes(h.pid());
    }
    if (sum > peakBytes) {
      peakBytes = sum;
    }
    if (capMb != null && !capExceeded && sum > capMb * 1024 * 1024) {
      capExceeded = true;
      onCapExceeded.run();
    }
  }

  private List<ProcessHandle> tree() {
    List<ProcessHandle> handles = new ArrayList<>();
    if (cgroupDir != null) {
      for (long pid : ProcFs.cgroupPids(cgroupDir)) {
        ProcessHandle.of(pid).ifPresent(handles::add);
      }
      return handles;
    }
    if (includeRoot && root.isAlive()) {
      handles.add(root);
    }
    root.descendants().forEach(handles::add);
    return handles;
  }

  /** Stops polling (after one last sample). */
  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The largest summed RSS seen, bytes. */
  public long peakBytes() {
    return peakBytes;
  }

  /** Whether the watchdog cap was passed. */
  public boolean capExceeded() {
    return capExceeded;
  }

  /** Processes of the tree seen while polling that are still alive (orphans included). */
  public List<ProcessHandle> seenAlive() {
    List<ProcessHandle> alive = new ArrayList<>();
    for (ProcessHandle h : seen.values()) {
      if (h.isAlive()) {
        alive.add(h);
      }
    }
    return alive;
  }
}
