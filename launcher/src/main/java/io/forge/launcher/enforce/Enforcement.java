package io.forge.launcher.enforce;

import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.measure.TreeSampler;
import io.forge.launcher.policy.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One job's enforcement and kernel-side measurement: the cgroups made for it (if any), the
 * command prefix that places the job in them before it execs, and the watchdog that polls the
 * tree's memory. Best mechanism first, chosen at run time:
 *
 * <ol>
 *   <li>{@code cgroup-v2}: a child of this process's v2 cgroup with the memory controller —
 *       {@code memory.max}, {@code memory.swap.max = 0}, peak from {@code memory.peak}, OOM
 *       kills from {@code memory.events}.
 *   <li>{@code cgroup-v1}: a child of this process's v1 memory cgroup — {@code
 *       memory.limit_in_bytes} and {@code memory.memsw.limit_in_bytes} where present, peak from
 *       {@code memory.max_usage_in_bytes}, OOM kills from {@code memory.oom_control}.
 *   <li>{@code watchdog}: no writable memory cgroup; a poller kills the whole tree when its
 *       summed RSS passes the cap.
 * </ol>
 *
 * Independently, a v2 child cgroup (even without controllers) gives exact CPU ({@code
 * cpu.stat}) and {@code cgroup.kill}, which ends the whole tree, orphans included; a v1 {@code
 * cpuacct} cgroup gives CPU otherwise. Every cgroup made here is removed by {@link #close()}.
 */
public final class Enforcement implements AutoCloseable {

  /** Polling period of the tree sampler, ms. */
  public static final long POLL_MS = 100;

  private final String mechanism;
  private final Limits limits;
  private final Path v2Dir;
  private final boolean v2Memory;
  private final Path v1MemoryDir;
  private final Path v1CpuDir;
  private final List<Path> created;
  private final List<String> notes;
  private TreeSampler sampler;
  private Process process;
  private boolean closed;

  private Enforcement(
      String mechanism, Limits limits, Path v2Dir, boolean v2Memory, Path v1MemoryDir,
      Path v1CpuDir, List<Path> created, List<String> notes) {
    this.mechanism = mechanism;
    this.limits = limits;
    this.v2Dir = v2Dir;
    this.v2Memory = v2Memory;
    this.v1MemoryDir = v1MemoryDir;
    this.v1CpuDir = v1CpuDir;
    this.created = created;
    this.notes = notes;
  }

  /** Which mechanism to use: the best available, or one forced by {@code FORGE_ENFORCEMENT}. */
  public enum Preference {
    /** The best mechanism the host offers. */
    AUTO,
    /** cgroup v2 memory controller, or fail. */
    CGROUP_V2,
    /** cgroup v1 memory controller, or fail. */
    CGROUP_V1,
    /** No cgroups at all: the polling watchdog (what hosts without writable cgroups get). */
    WATCHDOG;

    /**
     * Parses {@code auto}, {@code cgroup-v2}, {@code cgroup-v1} or {@code watchdog}.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static Preference parse(String value) {
      if (value == null || value.isBlank()) {
        return AUTO;
      }
      try {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("FORGE_ENFORCEMENT must be auto, cgroup-v2, cgroup-v1"
            + " or watchdog, got '" + value + "'");
      }
    }
  }

  /** Prepares with the best available mechanism. */
  public static Enforcement prepare(String name, Limits limits, CgroupMounts mounts) {
    return prepare(name, limits, mounts, Preference.AUTO);
  }

  /**
   * Prepares the cgroups for one job (also without limits: they are how the job is measured).
   *
   * @param name a unique name for the job's cgroups
   * @param limits the limits to enforce ({@link Limits#none()} in dry-run)
   * @param mounts this process's cgroup placement
   * @param preference the mechanism wanted
   * @throws IllegalStateException when a forced mechanism is not available
   */
  public static Enforcement prepare(
      String name, Limits limits, CgroupMounts mounts, Preference preference) {
    List<Path> created = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String dirName = "forge-" + name;
    if (preference == Preference.WATCHDOG) {
      mounts = new CgroupMounts(java.util.Map.of(), Optional.empty());
      notes.add("cgroups not used: FORGE_ENFORCEMENT=watchdog");
    }
    Path v2 = mounts.v2().map(own -> makeChild(own, dirName, created, notes)).orElse(null);
    boolean v2Memory = false;
    if (v2 != null && preference != Preference.CGROUP_V1) {
      if (!Files.exists(v2.resolve("memory.max"))) {
        // Try to delegate the memory controller; refused (EBUSY) when this process's own cgroup
        // holds processes and is not a namespace root, which is the common case.
        writeQuietly(v2.getParent().resolve("cgroup.subtree_control"), "+memory");
      }
      v2Memory = Files.exists(v2.resolve("memory.max"));
    }
    Path v1Memory = null;
    if (!v2Memory && mounts.v1().containsKey("memory")) {
      v1Memory = makeChild(mounts.v1().get("memory"), dirName, created, notes);
    }
    Path v1Cpu = null;
    if (v2 == null && mounts.v1().containsKey("cpuacct")) {
      v1Cpu = makeChild(mounts.v1().get("cpuacct"), dirName, created, notes);
    }
    String mechanism = v2Memory ? "cgroup-v2" : v1Memory != null ? "cgroup-v1" : "watchdog";
    if ((preference == Preference.CGROUP_V2 && !v2Memory)
        || (preference == Preference.CGROUP_V1 && v1Memory == null)) {
      created.forEach(Enforcement::removeCgroup);
      throw new IllegalStateException("FORGE_ENFORCEMENT asks for "
          + preference.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
          + " but this host does not offer it (see forge-launch doctor): " + notes);
    }
    Enforcement e = new Enforcement(mechanism, limits, v2, v2Memory, v1Memory, v1Cpu, created,
        notes);
    try {
      e.applyLimits();
    } catch (IOException ex) {
      e.close();
      throw new IllegalStateException("cannot set the memory limit: " + ex.getMessage(), ex);
    }
    return e;
  }

  private void applyLimits() throws IOException {
    if (limits.memoryLimitMb() == null) {
      return;
    }
    long bytes = (long) (limits.memoryLimitMb() * 1024 * 1024);
    if (v2Memory) {
      Files.writeString(v2Dir.resolve("memory.max"), Long.toString(bytes));
      writeQuietly(v2Dir.resolve("memory.swap.max"), "0");
    } else if (v1MemoryDir != null) {
      Files.writeString(v1MemoryDir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
      Path memsw = v1MemoryDir.resolve("memory.memsw.limit_in_bytes");
      if (Files.exists(memsw)) {
        writeQuietly(memsw, Long.toString(bytes));
      }
    }
  }

  private static Path makeChild(Path parent, String name, List<Path> created, List<String> notes) {
    Path dir = parent.resolve(name);
    try {
      Files.createDirectory(dir);
      created.add(dir);
      return dir;
    } catch (IOException | RuntimeException e) {
      notes.add("cannot create " + dir + " (" + e.getClass().getSimpleName() + ")");
      return null;
    }
  }

  /** The mechanism name reported in the JSON report and by {@code doctor}. */
  public String mechanism() {
    return mechanism;
  }

  /** Why better mechanisms were not used, for {@code doctor}. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * The command to start: when cgroups were made, a {@code /bin/sh} prefix writes its own pid
   * into each of them and then {@code exec}s the job, so the job and everything it forks are
   * inside from their first instruction.
   */
  public List<String> wrap(List<String> command) {
    List<Path> procs = new ArrayList<>();
    for (Path dir : new Path[] {v2Dir, v1MemoryDir, v1CpuDir}) {
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

  /**
   * {@link #wrap}, but only for a command that {@code ProcessBuilder.start()} would start as it
   * stands: a program that cannot be found or executed, or a file the kernel cannot exec (a
   * script without {@code #!}), is returned unchanged, so the caller's {@code start()} fails
   * exactly as it would without Forge instead of the wrapper shell exiting 127 or running the
   * file as a shell script.
   *
   * @param directory the builder's working directory, null for this process's
   */
  public List<String> wrapIfStartable(List<String> command, java.io.File directory) {
    Path program = startableProgram(command.get(0), directory);
    return program == null ? command : wrap(command);
  }

  static Path startableProgram(String name, java.io.File directory) {
    List<Path> candidates = new ArrayList<>();
    if (name.contains("/")) {
      Path base = directory == null ? Path.of("").toAbsolutePath() : directory.toPath();
      candidates.add(base.resolve(name));
    } else {
      String path = System.getenv("PATH");
      for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return execFormat(p) ? p : null;
      }
    }
    return null;
  }

  /** Whether the kernel can exec the file itself: an ELF binary or a {@code #!} script. */
  private static boolean execFormat(Path file) {
    byte[] head = new byte[4];
    int n;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    } catch (IOException e) {
      return false;
    }
    return (n >= 2 && head[0] == '#' && head[1] == '!')
        || (n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F');
  }

  /** {@code $0} of the wrapper shell: how {@link #isWrapper} recognises one. */
  private static final String WRAPPER_NAME = "forge-cgroup-join";

  /** Whether a command is a wrapper made by {@link #wrap} (so it is not planned again). */
  public static boolean isWrapper(List<String> command) {
    return command.size() > 3 && command.get(0).equals("/bin/sh")
        && command.get(3).equals(WRAPPER_NAME);
  }

  /** Starts polling the job's tree (and, on the watchdog path, enforcing the cap). */
  public void attach(Process started) {
    this.process = started;
    Path pidSource = v2Dir != null ? v2Dir : v1MemoryDir;
    Double watchdogCap = mechanism.equals("watchdog") ? limits.memoryLimitMb() : null;
    sampler = TreeSampler.ofJob(started.toHandle(), pidSource, v2Memory || v1MemoryDir != null,
        watchdogCap, POLL_MS, this::killTree);
    sampler.start();
  }

  /** Whether the memory cap ended the job (kernel OOM kill in the cgroup, or the watchdog). */
  public boolean memoryCapHit() {
    if (sampler != null && sampler.capExceeded()) {
      return true;
    }
    if (v2Memory) {
      return ProcFs.readKeyed(v2Dir.resolve("memory.events"), "oom_kill").orElse(0) > 0;
    }
    if (v1MemoryDir != null) {
      return ProcFs.readKeyed(v1MemoryDir.resolve("memory.oom_control"), "oom_kill").orElse(0) > 0
          || (limits.memoryLimitMb() != null
              && ProcFs.readLong(v1MemoryDir.resolve("memory.failcnt")).orElse(0) > 0
              && process != null && !process.isAlive() && process.exitValue() == 137);
    }
    return false;
  }

  /** The tree's peak memory as the kernel counted it, MB. */
  public OptionalDouble kernelPeakRssMb() {
    OptionalLong bytes = OptionalLong.empty();
    if (v2Memory) {
      bytes = ProcFs.readLong(v2Dir.resolve("memory.peak"));
    } else if (v1MemoryDir != null) {
      bytes = ProcFs.readLong(v1MemoryDir.resolve("memory.max_usage_in_bytes"));
    }
    return bytes.isPresent()
        ? OptionalDouble.of(bytes.getAsLong() / (1024.0 * 1024.0))
        : OptionalDouble.empty();
  }

  /** The tree's CPU seconds as the kernel counted them (cgroup), if a cgroup measured them. */
  public OptionalDouble kernelCpuSeconds() {
    if (v2Dir != null) {
      OptionalLong usec = ProcFs.readKeyed(v2Dir.resolve("cpu.stat"), "usage_usec");
      if (usec.isPresent()) {
        return OptionalDouble.of(usec.getAsLong() / 1e6);
      }
    }
    if (v1CpuDir != null) {
      OptionalLong ns = ProcFs.readLong(v1CpuDir.resolve("cpuacct.usage"));
      if (ns.isPresent()) {
        return OptionalDouble.of(ns.getAsLong() / 1e9);
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * What the job used, read before {@link #close()}: peak RSS = the larger of the kernel's
   * figure and the polled one; CPU = the cgroup's counter, else {@code fallbackCpuSeconds},
   * else what the poller saw; wall as measured by the caller. {@code sources} says which
   * counters were used.
   *
   * @param usage the figures, or null when the job was not measured: no kernel counter, and it
   *     ended before any poll saw it (never recorded as a job of 0 MB)
   * @param sources per figure, where it came from ({@code unmeasured} when nothing did)
   */
  public record Measured(io.forge.model.Usage usage, java.util.Map<String, String> sources) {}

  /** Reads the job's figures (call after it exited, before {@link #close()}). */
  public Measured measure(double wallSeconds, OptionalDouble fallbackCpuSeconds,
      String fallbackCpuSource) {
    return measureWith(sampler, wallSeconds, fallbackCpuSeconds, fallbackCpuSource);
  }

  /**
   * {@link #measure} with another poller than the one {@link #attach} starts: the agent's
   * measurement of a call, whose processes join these cgroups one by one.
   */
  public Measured measureWith(TreeSampler poller, double wallSeconds,
      OptionalDouble fallbackCpuSeconds, String fallbackCpuSource) {
    java.util.Map<String, String> sources = new java.util.LinkedHashMap<>();
    boolean polledAny = poller != null && poller.sawProcesses();
    double polled = poller == null ? 0 : poller.peakBytes() / (1024.0 * 1024.0);
    OptionalDouble kernel = kernelPeakRssMb();
    Double peak = null;
    if (kernel.isPresent() && kernel.getAsDouble() >= polled) {
      peak = kernel.getAsDouble();
      sources.put("peak_rss_mb", mechanism);
    } else if (polledAny) {
      peak = polled;
      sources.put("peak_rss_mb", "poll");
    } else {
      sources.put("peak_rss_mb", "unmeasured");
    }
    OptionalDouble kernelCpu = kernelCpuSeconds();
    Double cpu = null;
    if (kernelCpu.isPresent()) {
      cpu = kernelCpu.getAsDouble();
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
    io.forge.model.Usage usage = peak == null || cpu == null ? null
        : new io.forge.model.Usage(Math.max(0, cpu), peak, wallSeconds);
    return new Measured(usage, sources);
  }

  /**
   * Waits for the job to end. With a timeout, a job still running when it expires gets SIGTERM
   * on its whole tree, then SIGKILL after {@code graceMs}.
   *
   * @return true when the timeout stopped it
   */
  public boolean awaitEnd(Process job, Double timeoutSeconds, long graceMs)
      throws InterruptedException {
    boolean timedOut = false;
    if (timeoutSeconds != null
        && !job.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
      timedOut = true;
      stopTree(job, graceMs);
    }
    job.waitFor();
    return timedOut;
  }

  /** SIGTERM to the whole tree, SIGKILL after {@code graceMs} if the job is still there. */
  public void stopTree(Process job, long graceMs) throws InterruptedException {
    terminateTree();
    if (!job.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
      killTree();
    }
  }

  /**
   * How an ended job ended, and what it used.
   *
   * @param outcome timed out, killed by the cap, or by its exit code
   * @param measured its figures (a job killed by the cap peaked at least at the cap)
   */
  public record Ending(io.forge.model.Outcome outcome, Measured measured) {}

  /**
   * Reads how the job ended and what it used, then {@linkplain #close() closes}: the one place
   * where the launcher and the agent's process planner turn an exit into an outcome.
   */
  public Ending finish(boolean timedOut, int exitCode, double wallSeconds,
      OptionalDouble fallbackCpuSeconds, String fallbackCpuSource) {
    boolean capHit = !timedOut && memoryCapHit();
    Measured measured = measure(wallSeconds, fallbackCpuSeconds, fallbackCpuSource);
    close();
    io.forge.model.Outcome outcome;
    if (timedOut) {
      outcome = io.forge.model.Outcome.TIMED_OUT;
    } else if (capHit) {
      outcome = io.forge.model.Outcome.OOM_KILLED;
      if (limits.memoryLimitMb() != null && measured.usage() != null) {
        io.forge.model.Usage u = measured.usage();
        measured = new Measured(new io.forge.model.Usage(u.cpuSeconds(),
            Math.max(u.peakRssMb(), limits.memoryLimitMb()), u.wallSeconds()),
            measured.sources());
      }
    } else {
      outcome = exitCode == 0 ? io.forge.model.Outcome.OK : io.forge.model.Outcome.FAILED;
    }
    return new Ending(outcome, measured);
  }

  /** Whether a kernel counter (a memory cgroup) records the job's peak memory. */
  public boolean countsMemory() {
    return v2Memory || v1MemoryDir != null;
  }

  /**
   * Stops polling and removes the cgroups made here if their processes are gone, but never
   * stops a process: for the agent, whose host may outlive a call with the processes it
   * started. A cgroup still in use is removed by a later {@link #release} or at exit.
   */
  public void release() {
    if (!stopPolling()) {
      return;
    }
    LEFT_OVER.addAll(created);
    created.clear();
    removeLeftOvers();
  }

  /** Marks this closed and stops the poller; false when it was closed already. */
  private boolean stopPolling() {
    if (closed) {
      return false;
    }
    closed = true;
    if (sampler != null) {
      sampler.stop();
    }
    return true;
  }

  /** Cgroups {@link #release} could not remove yet (still holding a process). */
  private static final java.util.Set<Path> LEFT_OVER =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Enforcement::removeLeftOvers,
        "forge-cgroup-cleanup"));
  }

  private static void removeLeftOvers() {
    // Children before parents: a v2 child cgroup is made under the process's own one.
    List<Path> dirs = new ArrayList<>(LEFT_OVER);
    dirs.sort(java.util.Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path dir : dirs) {
      try {
        Files.deleteIfExists(dir);
        LEFT_OVER.remove(dir);
      } catch (IOException e) {
        // EBUSY: a process of the call still runs in it; tried again later.
      }
    }
  }

  /**
   * Sends a signal by name ({@code INT}, {@code TERM}, {@code HUP}) to every process of the job
   * with {@code kill(1)}: Java itself can only send SIGTERM and SIGKILL.
   */
  public void signalTree(String name) {
    List<String> command = new ArrayList<>(List.of("kill", "-s", name, "--"));
    // Each process once: the cgroup's list and the process tree name the same pids, and a
    // second SIGINT can land while the job's handler is already exiting.
    java.util.Set<Long> pids = new java.util.LinkedHashSet<>();
    for (ProcessHandle h : treeHandles()) {
      if (h.isAlive() && pids.add(h.pid())) {
        command.add(Long.toString(h.pid()));
      }
    }
    if (command.size() == 4) {
      return;
    }
    try {
      new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      terminateTree(); // no kill(1): SIGTERM still ends the job
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends SIGTERM to every process of the job. */
  public void terminateTree() {
    for (ProcessHandle h : treeHandles()) {
      h.destroy();
    }
  }

  /** Sends SIGKILL to every process of the job (via {@code cgroup.kill} where available). */
  public void killTree() {
    if (v2Dir != null && Files.exists(v2Dir.resolve("cgroup.kill"))) {
      writeQuietly(v2Dir.resolve("cgroup.kill"), "1");
    }
    for (ProcessHandle h : treeHandles()) {
      h.destroyForcibly();
    }
  }

  private List<ProcessHandle> treeHandles() {
    List<ProcessHandle> handles = new ArrayList<>();
    Path pidSource = v2Dir != null ? v2Dir : v1MemoryDir;
    if (pidSource != null) {
      for (long pid : ProcFs.cgroupPids(pidSource)) {
        ProcessHandle.of(pid).ifPresent(handles::add);
      }
    }
    if (process != null) {
      process.toHandle().descendants().forEach(handles::add);
      handles.add(process.toHandle());
    }
    if (sampler != null) {
      handles.addAll(sampler.seenAlive());
    }
    return handles;
  }

  /**
   * Kills what is left of the job, stops the poller and removes every cgroup made for it.
   * Idempotent: the runner closes early to read its figures, and try-with-resources closes
   * again on every other path.
   */
  @Override
  public void close() {
    if (!stopPolling()) {
      return;
    }
    if (!created.isEmpty() || sampler != null) {
      killTree();
    }
    for (int i = created.size() - 1; i >= 0; i--) {
      removeCgroup(created.get(i));
    }
    created.clear();
  }

  private static void removeCgroup(Path dir) {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException e) {
        // EBUSY while the killed processes are still being reaped.
        for (long pid : ProcFs.cgroupPids(dir)) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
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

  private static void writeQuietly(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException | RuntimeException e) {
      // Optional knob (swap limit, delegation, cgroup.kill): its absence is reported by doctor.
    }
  }
}
