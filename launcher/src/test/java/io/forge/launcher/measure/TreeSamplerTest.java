package io.forge.launcher.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TreeSamplerTest {

  private static TreeSampler sampler(Double capMb) {
    return new TreeSampler(ProcessHandle.current(), null, capMb, 100, () -> {});
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

  @Test
  void measuresThisJvmsOwnResidentMemory() {
    TreeSampler s = sampler(null);
    s.sampleOnce();
    assertTrue(s.peakBytes() > 10L * 1024 * 1024, "a JVM holds more than 10 MB: " + s.peakBytes());
  }
}
