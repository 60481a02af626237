package io.forge.launcher.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

  @Test
  void childrenTicksSurviveACommandNameWithSpacesAndParentheses() {
    String stat = "4242 (my (weird) job) S 1 4242 4242 0 -1 4194304 100 0 0 0 "
        + "12 3 150 25 20 0 1 0 100 1000000 200 18446744073709551615";
    assertEquals(175, ProcFs.parseChildrenTicks(stat));
    assertEquals(-1, ProcFs.parseChildrenTicks("garbage"));
  }

  @Test
  void ownTicksAreUtimePlusStimeWithoutTheChildren() {
    String stat = "4242 (my (weird) job) S 1 4242 4242 0 -1 4194304 100 0 0 0 "
        + "12 3 150 25 20 0 1 0 100 1000000 200 18446744073709551615";
    assertEquals(15, ProcFs.parseOwnTicks(stat));
    assertEquals(-1, ProcFs.parseOwnTicks("1 (x) S 1"));
  }

  @Test
  void statusGivesResidentMemoryAndItsHighWaterMark() {
    String status = "Name:\tpython3\nState:\tS (sleeping)\nVmPeak:\t  40000 kB\n"
        + "VmHWM:\t   30720 kB\nVmRSS:\t   10240 kB\nThreads:\t1\n";
    ProcFs.Memory m = ProcFs.parseStatus(status).orElseThrow();
    assertEquals(10240L * 1024, m.rssBytes());
    assertEquals(30720L * 1024, m.highWaterBytes());
    assertTrue(ProcFs.parseStatus("Name:\tzombie\nState:\tZ (zombie)\n").isEmpty(),
        "a zombie has no memory lines");
  }

  @Test
  void cgroupProcsAndKeyedFiles() {
    assertEquals(List.of(12L, 13L), ProcFs.parsePids("12\n13\n\n"));
    String cpuStat = "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n";
    assertEquals(1500000L, ProcFs.parseKeyed(cpuStat, "usage_usec").getAsLong());
    assertTrue(ProcFs.parseKeyed(cpuStat, "nr_throttled").isEmpty());
    String oomControl = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";
    assertEquals(2L, ProcFs.parseKeyed(oomControl, "oom_kill").getAsLong());
  }

  @Test
  void smallFilesAreReadWithoutFailing(@TempDir Path dir) throws Exception {
    Path number = Files.writeString(dir.resolve("memory.peak"), "123456\n");
    Path max = Files.writeString(dir.resolve("memory.max"), "max\n");
    Path keyed = Files.writeString(dir.resolve("cpu.stat"), "usage_usec  42\nuser_usec 40\n");
    assertEquals(123456L, ProcFs.readLong(number).getAsLong());
    assertTrue(ProcFs.readLong(max).isEmpty(), "not a number");
    assertTrue(ProcFs.readLong(dir.resolve("missing")).isEmpty());
    assertEquals(42L, ProcFs.readKeyed(keyed, "usage_usec").getAsLong());
    assertTrue(ProcFs.readKeyed(dir.resolve("missing"), "usage_usec").isEmpty());
    assertNull(ProcFs.text(dir.resolve("missing")));
    assertTrue(ProcFs.parseStatus("VmRSS:\nVmHWM:\t\n").isEmpty(), "a line without a number");
  }
}
