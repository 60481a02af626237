package io.forge.launcher.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Polls the resident memory of a job's processes: the peak where no memory cgroup counts it,
 * and the watchdog that kills the job when its summed RSS passes a cap. The processes come from
 * the job's cgroup when it has one (cheap, and it includes orphans), from a process tree, or
 * from a set of roots that grows while the job runs (the agent's view of one call). Each poll
 * reads one small {@code /proc/<pid>/status} per process on Linux (and its {@code stat}, for
 * CPU, where no cgroup counts the job's CPU) and asks OSHI elsewhere.
 *
 * <p>The peak is the larger of the largest summed RSS seen and the largest single process's
 * own high-water mark ({@code VmHWM}, which the kernel keeps between polls). Without a kernel
 * counter the first poll comes at once and the next ones every {@link #FAST_PERIOD_MS} for the
 * first {@link #FAST_WINDOW_MS}, so a job of a few milliseconds is still seen; a job that ends
 * before any poll saw it leaves {@link #sawProcesses()} false and the caller records it as
 * unmeasured rather than as a job of 0 MB.
 */
public final class TreeSampler {

  private static final boolean PROC = ProcFs.available();

  /** Slowest polling when the sampler only measures (a kernel counter is the main source). */
  static final long MAX_MEASURE_ONLY_PERIOD_MS = 2000;

  /** Polling period of the first {@link #FAST_WINDOW_MS} when no kernel counter measures. */
  static final long FAST_PERIOD_MS = 10;

  /** How long the fast polling lasts. */
  static final long FAST_WINDOW_MS = 200;

  /**
   * Fastest a watchdog polls, when the tree's growth would reach its cap sooner than the
   * schedule's next poll.
   */
  static final long WATCH_MIN_PERIOD_MS = 5;

  /** The job's cgroup, or null to follow {@link #roots}. */
  private final Path cgroupDir;
  /** The roots of the trees polled (a collection the caller may add to). */
  private final Collection<ProcessHandle> roots;
  private final boolean kernelCounts;
  private final boolean pollCpu;
  private final Double capMb;
  private final long periodMs;
  private final Runnable onCapExceeded;
  private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
  private final Map<Long, Long> cpuTicks = new ConcurrentHashMap<>();
  private volatile long peakBytes;
  private volatile boolean sawProcesses;
  private volatile boolean capExceeded;
  /** The summed RSS of the last sample, its time and the growth since the one before. */
  private long lastSumBytes;
  private long lastSampleNanos;
  private double growthBytesPerMs;
  private volatile boolean running = true;
  private Thread thread;

  private TreeSampler(Path cgroupDir, Collection<ProcessHandle> roots, boolean kernelCounts,
      boolean pollCpu, Double capMb, long periodMs, Runnable onCapExceeded) {
    this.cgroupDir = cgroupDir;
    this.roots = roots;
    this.kernelCounts = kernelCounts;
    this.pollCpu = pollCpu;
    this.capMb = capMb;
    this.periodMs = periodMs;
    this.onCapExceeded = onCapExceeded;
  }

  /**
   * A sampler of a job.
   *
   * @param root the job's direct child
   * @param cgroupDir the job's cgroup (pids from its {@code cgroup.procs}), or null for the
   *     process tree under {@code root}
   * @param kernelCounts whether a kernel counter (a memory cgroup) records the peak as well
   * @param kernelCountsCpu whether a cgroup counts the job's CPU (then no poll reads it)
   * @param capMb watchdog cap, or null to measure only
   * @param periodMs polling period
   * @param onCapExceeded called once when the cap is passed
   */
  public static TreeSampler ofJob(ProcessHandle root, Path cgroupDir, boolean kernelCounts,
      boolean kernelCountsCpu, Double capMb, long periodMs, Runnable onCapExceeded) {
    return new TreeSampler(cgroupDir, List.of(root), kernelCounts, !kernelCountsCpu, capMb,
        periodMs, onCapExceeded);
  }

  /**
   * A sampler of the processes under {@code roots} (each root and its descendants), a
   * collection the caller may add to while it runs; measures only.
   */
  public static TreeSampler ofRoots(Collection<ProcessHandle> roots, long periodMs) {
    return new TreeSampler(null, roots, false, true, null, periodMs, null);
  }

  /** The processes polled now. */
  private List<ProcessHandle> processes() {
    List<ProcessHandle> handles = new ArrayList<>();
    if (cgroupDir != null) {
      addInCgroup(cgroupDir, handles); // the job's whole tree, orphans included
      return handles;
    }
    for (ProcessHandle root : List.copyOf(roots)) {
      if (root.isAlive()) {
        handles.add(root);
      }
      addDescendants(root, handles);
    }
    return handles;
  }

  /** Adds the live processes listed in a cgroup's {@code cgroup.procs} to {@code into}. */
  public static void addInCgroup(Path dir, List<ProcessHandle> into) {
    for (long pid : ProcFs.cgroupPids(dir)) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent()) {
        into.add(h.get());
      }
    }
  }

  /** Adds every live descendant of {@code root} to {@code into}. */
  public static void addDescendants(ProcessHandle root, List<ProcessHandle> into) {
    Iterator<ProcessHandle> descendants = root.descendants().iterator();
    while (descendants.hasNext()) {
      into.add(descendants.next());
    }
  }

  /** Starts the daemon polling thread. */
  public void start() {
    thread = new Thread("forge-tree-sampler") {
      @Override
      public void run() {
        loop();
      }
    };
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long started = System.nanoTime();
    if (!kernelCounts && running) {
      sampleOnce();
    }
    while (running) {
      // With a kernel counter the first poll waits one period: a job shorter than that costs no
      // scan of the process table, and its peak comes from the counter.
      try {
        Thread.sleep(watchPeriodMs(nextPeriodMs((System.nanoTime() - started) / 1_000_000)));
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        sampleOnce();
      }
    }
  }

  /**
   * The polling period after {@code ageMs} of the job: {@link #FAST_PERIOD_MS} at first when no
   * kernel counter measures, then the base period for the first two seconds (short jobs and
   * fast-growing ones), then doubling up to eight times the base for a watchdog and to {@link
   * #MAX_MEASURE_ONLY_PERIOD_MS} when a kernel counter records the peak — so a long job costs
   * the launcher well under 1% of its wall time.
   */
  long nextPeriodMs(long ageMs) {
    if (!kernelCounts && ageMs < FAST_WINDOW_MS) {
      return Math.min(FAST_PERIOD_MS, periodMs);
    }
    long period = periodMs;
    for (long t = 2000; t <= ageMs && period < limitMs(); t *= 2) {
      period *= 2;
    }
    return Math.min(period, limitMs());
  }

  /**
   * For a watchdog, the scheduled period shortened as the tree nears its cap: never longer than
   * the base period once the tree holds half of it, and no longer than half the time its
   * recent growth needs to reach it (down to {@link #WATCH_MIN_PERIOD_MS}). A tree growing at
   * R MB/s therefore passes its cap by about R × (that period + one scan) before it is killed;
   * a tree far below its cap, or not growing, keeps the cheap schedule.
   */
  synchronized long watchPeriodMs(long scheduledMs) {
    if (capMb == null || lastSumBytes <= 0) {
      return scheduledMs;
    }
    double capBytes = capMb * 1024 * 1024;
    double headroom = capBytes - lastSumBytes;
    long period = lastSumBytes > capBytes / 2 ? Math.min(scheduledMs, periodMs) : scheduledMs;
    if (growthBytesPerMs > 0) {
      period = Math.min(period, (long) (headroom / growthBytesPerMs / 2));
    }
    return Math.max(WATCH_MIN_PERIOD_MS, Math.min(period, scheduledMs));
  }

  private long limitMs() {
    return capMb != null || !kernelCounts ? periodMs * 8
        : Math.max(periodMs, MAX_MEASURE_ONLY_PERIOD_MS);
  }

  /**
   * Takes one sample now. Synchronized: the agent samples a call's processes as they start
   * while the polling thread samples them too.
   */
  public synchronized void sampleOnce() {
    long sum = 0;
    long largestOwnPeak = 0;
    List<ProcessHandle> now = processes();
    for (ProcessHandle h : now) {
      seen.putIfAbsent(h.pid(), h);
      if (PROC) {
        ProcFs.Memory m = ProcFs.memory(h.pid()).orElse(null);
        if (m != null) {
          sum += m.rssBytes();
          largestOwnPeak = Math.max(largestOwnPeak, m.highWaterBytes());
        }
        if (pollCpu) {
          OptionalLong ticks = ProcFs.cpuTicks(h.pid());
          Long before = cpuTicks.get(h.pid());
          if (ticks.isPresent() && (before == null || ticks.getAsLong() > before)) {
            cpuTicks.put(h.pid(), ticks.getAsLong());
          }
        }
      } else {
        sum += OshiProcesses.rssBytes(h.pid());
      }
    }
    if (!now.isEmpty() && sum > 0) {
      sawProcesses = true;
    }
    observe(sum, System.nanoTime());
    long peak = Math.max(sum, largestOwnPeak);
    if (peak > peakBytes) {
      peakBytes = peak;
    }
    if (capMb != null && !capExceeded && sum > capMb * 1024 * 1024) {
      capExceeded = true;
      if (onCapExceeded != null) {
        onCapExceeded.run();
      }
    }
  }

  /** Records one sample's summed RSS and its time, for the watchdog's growth estimate. */
  synchronized void observe(long sumBytes, long nanos) {
    if (lastSampleNanos != 0 && nanos > lastSampleNanos) {
      growthBytesPerMs = Math.max(0, (sumBytes - lastSumBytes) / ((nanos - lastSampleNanos) / 1e6));
    }
    lastSampleNanos = nanos;
    lastSumBytes = sumBytes;
  }

  /** Stops polling. */
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

  /** The peak seen, bytes: 0 when no poll saw a process ({@link #sawProcesses()}). */
  public long peakBytes() {
    return peakBytes;
  }

  /** Whether any poll saw a process of the job: false means the job was not measured. */
  public boolean sawProcesses() {
    return sawProcesses;
  }

  /**
   * CPU seconds of the processes seen (each one's own, as last seen): a lower bound, for where
   * no kernel counter measures the job (0 when a cgroup counts it, see {@link #ofJob}).
   */
  public double cpuSecondsSeen() {
    long sum = 0;
    for (long t : cpuTicks.values()) {
      sum += t;
    }
    return sum / ProcFs.TICKS_PER_SECOND;
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
