package io.forge.launcher.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.predict.Basis;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.Interval;
import io.forge.model.predict.Prediction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizingPolicyTest {

  private final SizingPolicy policy = new SizingPolicy();
  private final StaticLimits statics = StaticLimits.of(null, null);

  static Prediction model(double rssMb, double rssLowMb, double wallS) {
    return new Prediction(10, rssMb, wallS, 0.6, new Interval(5, 20),
        new Interval(rssLowMb, rssMb * 2), new Interval(wallS / 2, wallS * 2), 3, Basis.MODEL);
  }

  @Test
  void enforceCapsAtOneAndAHalfTimesPredictedRssAndTimeoutAtThirtyPercentOverWall() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 100), 20_000, statics, false);
    assertFalse(d.refused());
    assertEquals(300.0, d.limits().memoryLimitMb());
    assertEquals(130.0, d.limits().timeoutSeconds());
    assertEquals("predicted", d.limits().source());
    assertNull(d.note());
  }

  @Test
  void theCapNeverGoesBelowOnePointOneTimesTheAnalysisLargestPeak() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 100), 500, 20_000, statics,
        false);
    assertEquals(550.0, d.limits().memoryLimitMb(), "1.1 x 500 beats 1.5 x 200");
    SizingDecision small = policy.decide(Mode.ENFORCE, model(200, 150, 100), 100, 20_000,
        statics, false);
    assertEquals(300.0, small.limits().memoryLimitMb(), "1.5 x 200 beats 1.1 x 100");
    SizingDecision budget = policy.decide(Mode.ENFORCE, model(200, 150, 100), 5000, 2000,
        statics, false);
    assertEquals(2000.0, budget.limits().memoryLimitMb(), "still within the host budget");
  }

  /** Regression: in enforce, --memory-limit-mb and --timeout-s were silently ignored. */
  @Test
  void theUsersOwnLimitsBoundThePredictedOnesFromAbove() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 100), 0, 20_000,
        StaticLimits.of(250.0, 90.0), false);
    assertEquals(250.0, d.limits().memoryLimitMb(), "never more than was asked");
    assertEquals(90.0, d.limits().timeoutSeconds());
    assertTrue(d.limits().boundByRequest());
    assertNull(d.note(), "nothing in the history says 250 MB is too small");

    SizingDecision roomy = policy.decide(Mode.ENFORCE, model(200, 150, 100), 0, 20_000,
        StaticLimits.of(4000.0, 3600.0), false);
    assertEquals(300.0, roomy.limits().memoryLimitMb(), "a larger request is no floor");
    assertEquals(130.0, roomy.limits().timeoutSeconds());
    assertFalse(roomy.limits().boundByRequest());

    SizingDecision tooSmall = policy.decide(Mode.ENFORCE, model(200, 150, 100), 400, 20_000,
        StaticLimits.of(100.0, null), false);
    assertEquals(100.0, tooSmall.limits().memoryLimitMb());
    assertTrue(tooSmall.note().contains("below this analysis's largest peak"), tooSmall.note());
    SizingDecision hostWins = policy.decide(Mode.ENFORCE, model(8000, 6000, 100), 9500, 8000,
        StaticLimits.of(10_000.0, null), false);
    assertEquals(8000.0, hostWins.limits().memoryLimitMb());
    assertFalse(hostWins.limits().boundByRequest(), "the host budget set it, not the user");
    assertTrue(hostWins.note().contains("below this analysis's largest peak")
        && hostWins.note().contains("host budget"), "both said: " + hostWins.note());
  }

  @Test
  void timeoutIsNeverBelowSixtySeconds() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 2), 20_000, statics, false);
    assertEquals(60.0, d.limits().timeoutSeconds());
  }

  @Test
  void capIsLoweredToTheHostBudgetWithANote() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(1000, 400, 10), 1200, statics, false);
    assertEquals(1200.0, d.limits().memoryLimitMb());
    assertTrue(d.note().contains("host budget"), d.note());
  }

  @Test
  void refusesWhenEvenTheLowEndCannotFitUnlessForced() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(3000, 2500, 10), 2000, statics, false);
    assertTrue(d.refused());
    assertTrue(d.note().contains("2500 MB") && d.note().contains("2000 MB"), d.note());
    SizingDecision forced = policy.decide(Mode.ENFORCE, model(3000, 2500, 10), 2000, statics,
        true);
    assertFalse(forced.refused());
    assertEquals(2000.0, forced.limits().memoryLimitMb());
    assertTrue(forced.note().startsWith("forced"), forced.note());
  }

  @Test
  void aPriorIsNoBasisForTightCapsOrRefusal() {
    Prediction prior = ColdStart.prior("python");
    SizingDecision d = policy.decide(Mode.ENFORCE, prior, 100, statics, false);
    assertFalse(d.refused());
    assertEquals("static", d.limits().source());
    assertEquals(100.0, d.limits().memoryLimitMb(), "static slot capped to the host budget");
    assertEquals(StaticLimits.DEFAULT_TIMEOUT_S, d.limits().timeoutSeconds());
  }

  @Test
  void dryRunEnforcesNothingAndReportsAWouldBeRefusal() {
    SizingDecision d = policy.decide(Mode.DRY_RUN, model(3000, 2500, 10), 2000, statics, false);
    assertFalse(d.refused());
    assertFalse(d.limits().any());
    assertTrue(d.note().startsWith("dry-run, not refused"), d.note());
  }

  @Test
  void deterministicUsesOnlyStaticLimits() {
    SizingDecision d = policy.decide(Mode.DETERMINISTIC, model(3000, 2500, 10), 20_000,
        StaticLimits.of(512.0, 30.0), false);
    assertEquals(512.0, d.limits().memoryLimitMb());
    assertEquals(30.0, d.limits().timeoutSeconds());
    assertFalse(d.refused());
  }

  @Test
  void marginIsConfigurableButNeverBelowOne() {
    assertEquals(250.0, new SizingPolicy(1.25).memoryCapMb(200));
    assertThrows(IllegalArgumentException.class, () -> new SizingPolicy(0.9));
  }

  @Test
  void theMarginComesFromTheEnvironmentWhenSet() {
    assertEquals(1.5, SizingPolicy.fromEnvironment(Map.of()).memoryMargin());
    assertEquals(1.1,
        SizingPolicy.fromEnvironment(Map.of("FORGE_MEMORY_MARGIN", "1.1")).memoryMargin());
    assertThrows(IllegalArgumentException.class,
        () -> SizingPolicy.fromEnvironment(Map.of("FORGE_MEMORY_MARGIN", "wide")));
    assertThrows(IllegalArgumentException.class,
        () -> SizingPolicy.fromEnvironment(Map.of("FORGE_MEMORY_MARGIN", "0.8")));
  }

  @Test
  void modesParseTheirCommandLineNames() {
    assertEquals(Mode.DRY_RUN, Mode.parse("dry-run"));
    assertEquals(Mode.ENFORCE, Mode.parse("ENFORCE"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("yolo"));
    assertTrue(e.getMessage().contains("dry-run, enforce, deterministic"), e.getMessage());
  }

  @Test
  void hostBudgetOverrideAndMeminfoParsing() {
    assertEquals(4096.0, HostBudget.detect(Map.of("FORGE_HOST_BUDGET_MB", "4096")).budgetMb());
    assertThrows(IllegalArgumentException.class,
        () -> HostBudget.detect(Map.of("FORGE_HOST_BUDGET_MB", "lots")));
    assertThrows(IllegalArgumentException.class,
        () -> HostBudget.detect(Map.of("FORGE_HOST_BUDGET_MB", "-5")));
    assertEquals(24683660L,
        HostBudget.parseMemTotalKb("MemTotal:       24683660 kB\nMemFree:        1 kB\n"));
    double detected = HostBudget.detect(Map.of()).budgetMb();
    assertTrue(detected > 0);
  }
}
