package io.forge.launcher.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.measure.KernelCounters;
import io.forge.launcher.policy.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory and the three enforcers against a fake cgroup tree in a temporary folder: a
 * {@link CgroupFs} that, like the kernel, fills each new cgroup with its control files.
 */
class EnforcersTest {

  @TempDir Path root;

  /** Control files per hierarchy, with the values a job might have left in them. */
  private static final Map<String, Map<String, String>> FILES = Map.of(
      "v2", Map.of("cgroup.procs", "", "cgroup.kill", "", "memory.max", "max",
          "memory.swap.max", "max", "memory.peak", "104857600",
          "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n",
          "cpu.stat", "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n"),
      "v2-bare", Map.of("cgroup.procs", "", "cgroup.kill", "",
          "cpu.stat", "usage_usec 1500000\n"),
      "memory", Map.of("cgroup.procs", "", "memory.limit_in_bytes", "9223372036854771712",
          "memory.max_usage_in_bytes", "52428800", "memory.failcnt", "0",
          "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"),
      "cpuacct", Map.of("cgroup.procs", "", "cpuacct.usage", "3000000000"));

  /** A fake kernel: a child of {@code <root>/<kind>/…} gets the control files of that kind. */
  private CgroupFs fake(String v2Kind) {
    return new CgroupFs() {
      @Override
      public void makeChild(Path dir) throws IOException {
        Files.createDirectory(dir);
        String kind = root.relativize(dir).getName(0).toString();
        for (var f : FILES.get(kind.equals("v2") ? v2Kind : kind).entrySet()) {
          Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
      }

      @Override
      public void remove(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      }
    };
  }

  private CgroupMounts mounts(boolean v2, boolean memory, boolean cpuacct) throws IOException {
    Map<String, Path> v1 = new java.util.HashMap<>();
    for (String c : List.of("v2", "memory", "cpuacct")) {
      Files.createDirectories(root.resolve(c).resolve("own"));
    }
    if (memory) {
      v1.put("memory", root.resolve("memory").resolve("own"));
    }
    if (cpuacct) {
      v1.put("cpuacct", root.resolve("cpuacct").resolve("own"));
    }
    return new CgroupMounts(v1, v2 ? Optional.of(root.resolve("v2").resolve("own"))
        : Optional.empty());
  }

  private static final Limits CAP = new Limits(300.0, 60.0, "predicted");

  @Test
  void aV2MemoryControllerIsTheBestMechanism() throws Exception {
    Enforcer e = Enforcers.create("j1", CAP, mounts(true, true, true),
        Enforcers.Preference.AUTO, fake("v2"));
    Path dir = root.resolve("v2/own").resolve(StaleCgroups.nameFor("j1"));
    assertEquals(Mechanism.CGROUP_V2, e.mechanism());
    assertEquals(Long.toString(300L * 1024 * 1024), Files.readString(dir.resolve("memory.max")));
    assertEquals("0", Files.readString(dir.resolve("memory.swap.max")), "no swap");
    KernelCounters k = e.counters();
    assertEquals(100.0, k.peakRssMb().getAsDouble(), 1e-9);
    assertEquals("cgroup-v2", k.peakSource());
    assertEquals(2.5, k.cpuSeconds().getAsDouble(), 1e-9);
    assertTrue(e.capHit(), "oom_kill 1 in memory.events");
    List<String> wrapped = e.wrap(List.of("python3", "x.py"));
    assertEquals(List.of("/bin/sh", "-c"), wrapped.subList(0, 2));
    assertTrue(wrapped.get(2).contains(dir.resolve("cgroup.procs").toString()), wrapped.get(2));
    assertTrue(Enforcers.isWrapper(wrapped));
    assertEquals(List.of("python3", "x.py"), wrapped.subList(4, 6));
    assertFalse(Files.exists(root.resolve("memory/own").resolve(StaleCgroups.nameFor("j1"))),
        "no v1 cgroup beside v2");
    e.close();
    assertFalse(Files.exists(dir), "removed on close");
  }

  @Test
  void aV2TreeWithoutTheMemoryControllerFallsToV1MemoryAndKeepsV2ForCpu() throws Exception {
    Enforcer e = Enforcers.create("j2", CAP, mounts(true, true, true),
        Enforcers.Preference.AUTO, fake("v2-bare"));
    assertEquals(Mechanism.CGROUP_V1, e.mechanism());
    Path mem = root.resolve("memory/own").resolve(StaleCgroups.nameFor("j2"));
    assertEquals(Long.toString(300L * 1024 * 1024),
        Files.readString(mem.resolve("memory.limit_in_bytes")));
    KernelCounters k = e.counters();
    assertEquals(50.0, k.peakRssMb().getAsDouble(), 1e-9);
    assertEquals(1.5, k.cpuSeconds().getAsDouble(), 1e-9, "CPU from the v2 child's cpu.stat");
    assertFalse(e.capHit());
    assertFalse(Files.exists(root.resolve("cpuacct/own").resolve(StaleCgroups.nameFor("j2"))),
        "v2 counts CPU already");
    assertEquals(2, e.wrap(List.of("true")).get(2).split("cgroup.procs").length - 1,
        "the job joins both");
    e.close();
    assertFalse(Files.exists(mem));
  }

  @Test
  void withoutAnyMemoryCgroupTheWatchdogEnforcesAndCpuacctCounts() throws Exception {
    Enforcer e = Enforcers.create("j3", CAP, mounts(false, false, true),
        Enforcers.Preference.AUTO, fake("v2"));
    assertEquals(Mechanism.WATCHDOG, e.mechanism());
    assertFalse(e.countsMemory());
    assertTrue(e.counters().peakRssMb().isEmpty());
    assertEquals(3.0, e.counters().cpuSeconds().getAsDouble(), 1e-9);
    assertEquals(Mechanism.WATCHDOG, e.recorded(), "a cap to watch");
    Enforcer uncapped = Enforcers.create("j4", Limits.none(), mounts(false, false, false),
        Enforcers.Preference.AUTO, fake("v2"));
    assertEquals(Mechanism.NONE, uncapped.recorded(), "nothing to watch: no mechanism");
    assertEquals(List.of("true"), uncapped.wrap(List.of("true")), "no cgroup to join");
    e.close();
    uncapped.close();
  }

  @Test
  void aForcedMechanismTheHostLacksIsAnErrorAndLeavesNothingBehind() throws Exception {
    IllegalStateException x = assertThrows(IllegalStateException.class, () -> Enforcers.create(
        "j5", CAP, mounts(true, false, false), Enforcers.Preference.CGROUP_V1, fake("v2")));
    assertTrue(x.getMessage().contains("cgroup-v1"), x.getMessage());
    assertFalse(Files.exists(root.resolve("v2/own").resolve(StaleCgroups.nameFor("j5"))),
        "its cgroups were removed");
    Enforcer w = Enforcers.create("j6", CAP, mounts(true, true, true),
        Enforcers.Preference.WATCHDOG, fake("v2"));
    assertEquals(Mechanism.WATCHDOG, w.mechanism(), "watchdog forced: no cgroup at all");
    assertFalse(Files.exists(root.resolve("v2/own").resolve(StaleCgroups.nameFor("j6"))));
    w.close();
  }

  @Test
  void aCgroupIsNamedAfterItsOwnerAndOnlyAGoneOwnersIsSwept() throws Exception {
    String mine = StaleCgroups.nameFor("0a1b2c3d");
    long[] owner = StaleCgroups.owner(mine).orElseThrow();
    assertEquals(ProcessHandle.current().pid(), owner[0]);
    assertEquals(Optional.empty(), StaleCgroups.owner("forge-0a1b2c3d"), "an older Forge's");
    assertEquals(Optional.empty(), StaleCgroups.owner("system.slice"));
    assertEquals(2147483646L, StaleCgroups.owner("forge-doctor-0a1b-2147483646-5").get()[0]);

    Path parent = root.resolve("cg");
    Files.createDirectories(parent.resolve(mine));
    Files.createDirectories(parent.resolve("forge-deadbeef-2147483646-5")); // no such pid
    Files.createDirectories(parent.resolve("forge-deadbeef")); // unknown owner: left alone
    List<Path> removed = StaleCgroups.sweep(new CgroupMounts(Map.of("memory", parent),
        Optional.empty()));
    assertEquals(List.of(parent.resolve("forge-deadbeef-2147483646-5")), removed);
    assertTrue(Files.isDirectory(parent.resolve(mine)), "its owner, this JVM, runs");
    assertTrue(Files.isDirectory(parent.resolve("forge-deadbeef")));
  }
}
