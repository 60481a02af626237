package io.forge.launcher.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizingOutcomeTest {

  @Test
  void aCapThatFitsWastesWhatIsLeftOverTimesTheWallTime() {
    SizingOutcome o = new SizingOutcome();
    o.charge(2048, 1024, 3600);
    assertEquals(1.0, o.wastageGbh(), 1e-9, "1 GB unused for 1 h");
    assertEquals(0, o.failures());
  }

  @Test
  void aFailedAttemptIsChargedInFullAndRetriedWithDoubleTheCap() {
    SizingOutcome o = new SizingOutcome();
    o.charge(1024, 3000, 3600);
    // 1 GB fails (1 GBh), 2 GB fails (2 GBh), 4 GB fits (4096 - 3000 MB for 1 h).
    assertEquals(1 + 2 + (4096 - 3000) / 1024.0, o.wastageGbh(), 1e-9);
    assertEquals(2, o.failures());
    Map<String, Object> json = o.toJson();
    assertEquals(3, json.get("attempts"));
    assertEquals(2.0, json.get("failure_rate"));
    assertEquals(1, json.get("first_attempt_failures"), "one run failed first, twice");
    assertEquals(1.0, json.get("first_attempt_failure_rate"));
  }

  @Test
  void baselinesUseHistoryAndALineWithItsWorstUnderPredictionAsOffset() {
    Baselines b = new Baselines(8192);
    assertEquals(8192, b.maxHistory("a", null), "no history, no request: the static cap");
    assertEquals(3000, b.maxHistory("a", 3000.0), "no history: the run's request");
    assertEquals(8192, b.wittLr("a", 10, null), "a line needs two runs");
    b.observe("a", 10, 110);
    b.observe("a", 20, 190);
    b.observe("a", 30, 330);
    assertEquals(1.1 * 330, b.maxHistory("a", 3000.0), 1e-9);
    double[] line = Baselines.fit(List.of(new double[] {10, 110}, new double[] {20, 190},
        new double[] {30, 330}));
    assertArrayEquals(new double[] {-10.0, 11.0}, line, 1e-9);
    // Residuals: 110-100, 190-210, 330-320 → the worst under-prediction is 10 MB.
    assertEquals(-10 + 11 * 40 + 10, b.wittLr("a", 40, null), 1e-9);
  }
}
