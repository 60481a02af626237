package io.forge.launcher.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {

  @Test
  void hybridHostWithV1MemoryAndAnEmptyUnifiedTree() {
    String mountinfo =
        "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
            + "31 30 0:27 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
            + "32 30 0:28 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
            + "33 30 0:29 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    String cgroup = "4:memory:/process_api/abc\n2:cpuacct:/\n0::/\n";
    CgroupMounts m = CgroupMounts.parse(mountinfo, cgroup);
    assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/abc"), m.v1().get("memory"));
    assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), m.v1().get("cpuacct"));
    assertEquals(Path.of("/sys/fs/cgroup/unified"), m.v2().orElseThrow());
  }

  @Test
  void v2OnlyHostInsideASystemdUserSlice() {
    String mountinfo = "35 24 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
    String cgroup = "0::/user.slice/user-1000.slice/session-3.scope\n";
    CgroupMounts m = CgroupMounts.parse(mountinfo, cgroup);
    assertTrue(m.v1().isEmpty());
    assertEquals(Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope"),
        m.v2().orElseThrow());
  }

  @Test
  void aContainerWhoseMountRootIsItsOwnCgroup() {
    String mountinfo =
        "40 30 0:31 /docker/f00 /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n";
    String cgroup = "7:memory:/docker/f00\n";
    CgroupMounts m = CgroupMounts.parse(mountinfo, cgroup);
    assertEquals(Path.of("/sys/fs/cgroup/memory"), m.v1().get("memory"));
  }

  @Test
  void noCgroupsAtAll() {
    CgroupMounts m = CgroupMounts.parse("", "");
    assertTrue(m.v1().isEmpty());
    assertTrue(m.v2().isEmpty());
    assertEquals(Enforcers.Preference.WATCHDOG, Enforcers.Preference.parse("watchdog"));
    assertEquals(Enforcers.Preference.AUTO, Enforcers.Preference.parse(null));
  }
}
