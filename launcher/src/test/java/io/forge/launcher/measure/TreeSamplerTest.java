package io.forge.launcher.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class TreeSamplerTest {

  private static TreeSampler sampler(Double capMb) {
    return TreeSampler.ofJob(ProcessHandle.current(), null, true, false, capMb, 100, () -> {});
  }

  @Test
  void pollsFastAtFirstThenBacksOffToTheMeasureOnlyLimit() {
    TreeSampler s = sampler(null);
    assertEquals(100, s.nextPeriodMs(0));
    assertEquals(100, s.nextPeriodMs(1999));
    assertEquals(200, s.nextPeriodMs(2000));
    assertEquals(400, s.nextPeriodMs(4000));
    assertEquals(TreeSampler.MAX_MEASURE_ONLY_PERIOD_MS, s.nextPeriodMs(3_600_000));
  }

  @Test
  void aWatchdogNeverPollsSlowerThanEightTimesItsBase() {
    TreeSampler s = sampler(500.0);
    assertEquals(800, s.nextPeriodMs(3_600_000));
    assertTrue(s.nextPeriodMs(5000) <= 800);
  }

  /** Regression: after its schedule backed off to 800 ms, a 100 MB-capped job reached 321 MB. */
  @Test
  void aWatchdogPollsSoonerAsItsTreeNearsTheCap() {
    TreeSampler s = sampler(100.0);
    long mb = 1024 * 1024;
    assertEquals(800, s.watchPeriodMs(800), "nothing seen yet: the schedule");
    s.observe(10 * mb, 0);
    s.observe(10 * mb, 1_000_000_000L);
    assertEquals(800, s.watchPeriodMs(800), "far below the cap and not growing");
    s.observe(60 * mb, 2_000_000_000L);
    assertEquals(100, s.watchPeriodMs(800),
        "past half the cap: the base period (50 MB/s leaves 800 ms to the cap)");
    s.observe(90 * mb, 2_100_000_000L);
    assertEquals(16, s.watchPeriodMs(800), "300 MB/s, 10 MB left: half of 33 ms");
    s.observe(99 * mb, 2_110_000_000L);
    assertEquals(TreeSampler.WATCH_MIN_PERIOD_MS, s.watchPeriodMs(800));
    assertEquals(800, sampler(null).watchPeriodMs(800), "measuring only: no cap to near");
  }

  @Test
  void withoutAKernelCounterItPollsEveryTenMillisecondsAtFirst() {
    TreeSampler s =
        TreeSampler.ofJob(ProcessHandle.current(), null, false, false, null, 100, () -> {});
    assertEquals(TreeSampler.FAST_PERIOD_MS, s.nextPeriodMs(0));
    assertEquals(TreeSampler.FAST_PERIOD_MS, s.nextPeriodMs(TreeSampler.FAST_WINDOW_MS - 1));
    assertEquals(100, s.nextPeriodMs(TreeSampler.FAST_WINDOW_MS));
    assertEquals(800, s.nextPeriodMs(3_600_000), "the poll is the only measure: never slower");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void measuresThisJvmsOwnResidentMemory() {
    TreeSampler s = sampler(null);
    assertFalse(s.sawProcesses());
    s.sampleOnce();
    assertTrue(s.sawProcesses());
    assertTrue(s.peakBytes() > 10L * 1024 * 1024, "a JVM holds more than 10 MB: " + s.peakBytes());
    assertTrue(s.cpuSecondsSeen() > 0, "and has used CPU");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void whereACgroupCountsCpuThePollReadsMemoryOnly() {
    TreeSampler s = TreeSampler.ofJob(ProcessHandle.current(), null, true, true, null, 100,
        () -> {});
    s.sampleOnce();
    assertTrue(s.peakBytes() > 10L * 1024 * 1024, "memory polled: " + s.peakBytes());
    assertEquals(0.0, s.cpuSecondsSeen(), "no stat read: the cgroup's counter is used");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aSetOfRootsThatGrowsIsSampledAsItGrows() throws Exception {
    java.util.List<ProcessHandle> roots = new java.util.concurrent.CopyOnWriteArrayList<>();
    TreeSampler s = TreeSampler.ofRoots(roots, 100);
    s.sampleOnce();
    assertFalse(s.sawProcesses(), "no root yet: nothing measured, not 0 MB");
    Process sleeper = new ProcessBuilder("sleep", "5").start();
    try {
      roots.add(sleeper.toHandle());
      s.sampleOnce();
      assertTrue(s.sawProcesses());
      assertTrue(s.peakBytes() > 0 && s.peakBytes() < 50L * 1024 * 1024, "" + s.peakBytes());
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }
}
