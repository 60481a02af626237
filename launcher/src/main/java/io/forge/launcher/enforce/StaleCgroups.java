package io.forge.launcher.enforce;

import io.forge.launcher.measure.ProcFs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cgroups whose Forge process is gone: a launcher killed with {@code SIGKILL} cannot remove
 * its job's cgroups, and whatever the job left running in them keeps its memory cap and goes
 * unmeasured. Every cgroup Forge makes is named after its owner ({@code
 * forge-<name>-<pid>-<start ticks>}, see {@link #nameFor}); a sweep, which every Forge command
 * takes, kills what is left in the cgroups of owners that no longer run ({@code cgroup.kill}
 * where the kernel has it, else each process) and removes them.
 */
public final class StaleCgroups {

  private StaleCgroups() {}

  /** When this process started, in ticks since boot (0 where {@code /proc} cannot say). */
  private static final long SELF_START = ProcFs.startTicks(ProcessHandle.current().pid())
      .orElse(0);

  /**
   * The name of a cgroup this process makes for {@code name}: its pid and its start in clock
   * ticks since boot, which no wall-clock step can change (a live owner must never look gone:
   * its job would be killed).
   */
  static String nameFor(String name) {
    return "forge-" + name + "-" + ProcessHandle.current().pid() + "-" + SELF_START;
  }

  /** Whether the owner a cgroup's name records still runs: same pid, same start. */
  static boolean alive(long pid, long startTicks) {
    java.util.OptionalLong start = ProcFs.startTicks(pid);
    // Unknown start (no /proc, or an unknown recorded start): alive while the pid exists.
    return start.isPresent() && (startTicks == 0 || start.getAsLong() == 0
        || start.getAsLong() == startTicks);
  }

  /**
   * The owner of a cgroup named by {@link #nameFor}: its pid and start time, or empty for any
   * other name (cgroups of an older Forge, or not Forge's).
   */
  static Optional<long[]> owner(String dirName) {
    if (!dirName.startsWith("forge-")) {
      return Optional.empty();
    }
    int last = dirName.lastIndexOf('-');
    int before = dirName.lastIndexOf('-', last - 1);
    if (before <= "forge-".length() - 1) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(dirName.substring(before + 1, last));
      long started = Long.parseLong(dirName.substring(last + 1));
      return pid > 0 ? Optional.of(new long[] {pid, started}) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Kills and removes the cgroups under this process's own cgroups whose owner is gone.
   *
   * @return the cgroups removed
   */
  public static List<Path> sweep(CgroupMounts mounts) {
    // No lambda or method reference: a launch runs this, and each would spin a class.
    List<Path> parents = new ArrayList<>(mounts.v1().values());
    if (mounts.v2().isPresent()) {
      parents.add(mounts.v2().get());
    }
    List<Path> removed = new ArrayList<>();
    for (Path parent : parents) {
      String[] children = parent.toFile().list();
      if (children == null) {
        continue;
      }
      for (String child : children) {
        Optional<long[]> owner = owner(child);
        try {
          if (owner.isPresent() && !alive(owner.get()[0], owner.get()[1])
              && new File(parent.toFile(), child).isDirectory()
              && remove(parent.resolve(child))) {
            removed.add(parent.resolve(child));
          }
        } catch (RuntimeException e) {
          // A sweep is housekeeping: whatever goes wrong, the command it runs in goes on.
        }
      }
    }
    return removed;
  }

  /**
   * Kills every process in a cgroup and its child cgroups (a nested launch's) and removes
   * them, deepest first; false when one cannot be removed yet (the next sweep tries again).
   */
  static boolean remove(Path dir) {
    String[] children = dir.toFile().list();
    boolean emptied = true;
    for (String child : children == null ? new String[0] : children) {
      if (new File(dir.toFile(), child).isDirectory()) {
        emptied &= remove(dir.resolve(child));
      }
    }
    if (Files.exists(dir.resolve("cgroup.kill"))) { // v2 on kernels since 5.14
      BaseEnforcer.writeQuietly(dir.resolve("cgroup.kill"), "1");
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      for (long pid : ProcFs.cgroupPids(dir)) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
          process.get().destroyForcibly();
        }
      }
      if (!emptied) {
        return false; // a child cgroup stays, so does this one
      }
      try {
        Files.deleteIfExists(dir);
        return true;
      } catch (IOException e) {
        // EBUSY while the killed processes are being reaped.
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }
}
