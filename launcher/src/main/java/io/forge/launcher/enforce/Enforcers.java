package io.forge.launcher.enforce;

import io.forge.launcher.policy.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that chooses a job's enforcement: the best mechanism the host offers, or the
 * one {@code FORGE_ENFORCEMENT} forces.
 *
 * <ol>
 *   <li>{@code cgroup-v2}: a child of this process's v2 cgroup with the memory controller;
 *   <li>{@code cgroup-v1}: a child of this process's v1 memory cgroup;
 *   <li>{@code watchdog}: no writable memory cgroup; a poller kills the tree past the cap.
 * </ol>
 *
 * Independently, a v2 child (even without controllers) gives exact CPU and {@code
 * cgroup.kill}; a v1 {@code cpuacct} child gives CPU otherwise.
 */
public final class Enforcers {

  private Enforcers() {}

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
     * Parses {@code auto}, {@code cgroup-v2}, {@code cgroup-v1} or {@code watchdog} (null or
     * blank: auto).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static Preference parse(String value) {
      if (value == null || value.isBlank()) {
        return AUTO;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("FORGE_ENFORCEMENT must be auto, cgroup-v2, cgroup-v1"
            + " or watchdog, got '" + value + "'");
      }
    }
  }

  /**
   * Prepares the enforcement of one job (also without limits: its cgroups are how the job is
   * measured).
   *
   * @param name a unique name for the job's cgroups ({@code forge-<name>-<owner>}, see {@link
   *     StaleCgroups})
   * @param limits the limits to enforce ({@link Limits#none()} in dry-run)
   * @param mounts this process's cgroup placement
   * @param preference the mechanism wanted
   * @throws IllegalStateException when a forced mechanism is not available, or the cap cannot
   *     be set
   */
  public static Enforcer create(String name, Limits limits, CgroupMounts mounts,
      Preference preference) {
    return create(name, limits, mounts, preference, CgroupFs.REAL);
  }

  static Enforcer create(String name, Limits limits, CgroupMounts mounts, Preference preference,
      CgroupFs fs) {
    List<Path> created = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String dirName = StaleCgroups.nameFor(name);
    if (preference == Preference.WATCHDOG) {
      mounts = new CgroupMounts(Map.of(), Optional.empty());
      notes.add("cgroups not used: FORGE_ENFORCEMENT=watchdog");
    }
    Path v2 = mounts.v2().isPresent()
        ? makeChild(fs, mounts.v2().get(), dirName, created, notes) : null;
    boolean v2Memory = false;
    if (v2 != null && preference != Preference.CGROUP_V1) {
      if (!v2.resolve("memory.max").toFile().exists()) {
        // Try to delegate the memory controller; refused (EBUSY) when this process's own cgroup
        // holds processes and is not a namespace root, which is the common case.
        BaseEnforcer.writeQuietly(v2.getParent().resolve("cgroup.subtree_control"), "+memory");
      }
      v2Memory = v2.resolve("memory.max").toFile().exists();
    }
    Path v1Memory = null;
    if (!v2Memory && mounts.v1().containsKey("memory")) {
      v1Memory = makeChild(fs, mounts.v1().get("memory"), dirName, created, notes);
    }
    Path v1Cpu = null;
    if (v2 == null && mounts.v1().containsKey("cpuacct")) {
      v1Cpu = makeChild(fs, mounts.v1().get("cpuacct"), dirName, created, notes);
    }
    BaseEnforcer.Cgroups cgroups = new BaseEnforcer.Cgroups(v2, v1Memory, v1Cpu, created, notes);
    BaseEnforcer e = v2Memory ? new CgroupV2Enforcer(limits, cgroups, fs)
        : v1Memory != null ? new CgroupV1Enforcer(limits, cgroups, fs)
        : new WatchdogEnforcer(limits, cgroups, fs);
    if ((preference == Preference.CGROUP_V2 && e.mechanism() != Mechanism.CGROUP_V2)
        || (preference == Preference.CGROUP_V1 && e.mechanism() != Mechanism.CGROUP_V1)) {
      e.close();
      throw new IllegalStateException("FORGE_ENFORCEMENT asks for "
          + preference.name().toLowerCase(Locale.ROOT).replace('_', '-')
          + " but this host does not offer it (see forge-launch doctor): " + notes);
    }
    if (limits.memoryLimitMb() != null) {
      try {
        e.applyLimit((long) (limits.memoryLimitMb() * 1024 * 1024));
      } catch (IOException ex) {
        e.close();
        throw new IllegalStateException("cannot set the memory limit: " + ex.getMessage(), ex);
      }
    }
    return e;
  }

  private static Path makeChild(CgroupFs fs, Path parent, String name, List<Path> created,
      List<String> notes) {
    Path dir = parent.resolve(name);
    try {
      fs.makeChild(dir);
      created.add(dir);
      return dir;
    } catch (IOException | RuntimeException e) {
      notes.add("cannot create " + dir + " (" + e.getClass().getSimpleName() + ")");
      return null;
    }
  }

  /** Whether a command is a wrapper made by {@link Enforcer#wrap} (so it is not planned again). */
  public static boolean isWrapper(List<String> command) {
    return command.size() > 3 && command.get(0).equals("/bin/sh")
        && command.get(3).equals(BaseEnforcer.WRAPPER_NAME);
  }
}
