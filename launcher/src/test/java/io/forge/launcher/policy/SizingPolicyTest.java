package io.forge.launcher.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Usage;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.Basis;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.Interval;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.PeakEvidence;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.Predictor;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SizingPolicyTest {

  /** The spec's rule, which the calibrated one falls back to while the history is thin. */
  private final SizingPolicy policy = SizingPolicy.spec(SizingPolicy.DEFAULT_MEMORY_MARGIN);
  private final StaticLimits statics = StaticLimits.of(null, null);

  /** Evidence of an analysis that peaked at {@code largestMb} over a few runs; no scores yet. */
  static PeakEvidence peaked(double largestMb) {
    return new PeakEvidence(largestMb > 0 ? 3 : 0, largestMb, 0, OptionalDouble.empty(),
        OptionalDouble.empty(), new PeakCalibration(), largestMb);
  }

  /** A calibration whose analyses, after a first run of 1 000 MB, peaked 2-15 % below it. */
  static PeakCalibration steady() {
    PeakCalibration c = new PeakCalibration();
    for (int a = 0; a < 10; a++) {
      String id = "wf:step" + a;
      c.completed(id, 1000);
      for (int r = 0; r < 50; r++) {
        c.completed(id, 1000 * (0.85 + 0.13 * (r % 11) / 10));
      }
    }
    return c;
  }

  static Prediction model(double rssMb, double rssLowMb, double wallS) {
    return new Prediction(10, rssMb, wallS, 0.6, new Interval(5, 20),
        new Interval(rssLowMb, rssMb * 2), new Interval(wallS / 2, wallS * 2), 3, Basis.MODEL);
  }

  @Test
  void enforceCapsAtOneAndAHalfTimesPredictedRssAndTimeoutAtThirtyPercentOverWall() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 100),
        peaked(100), 20_000, statics, false);
    assertFalse(d.refused());
    assertEquals(300.0, d.limits().memoryLimitMb());
    assertEquals(130.0, d.limits().timeoutSeconds());
    assertEquals("predicted", d.limits().source());
    assertNull(d.note());
  }

  @Test
  void theCapNeverGoesBelowOnePointOneTimesTheAnalysisLargestPeak() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 100),
        peaked(500), 20_000, statics,
        false);
    assertEquals(550.0, d.limits().memoryLimitMb(), "1.1 x 500 beats 1.5 x 200");
    SizingDecision small = policy.decide(Mode.ENFORCE, model(200, 150, 100), peaked(100), 20_000,
        statics, false);
    assertEquals(300.0, small.limits().memoryLimitMb(), "1.5 x 200 beats 1.1 x 100");
    SizingDecision budget = policy.decide(Mode.ENFORCE, model(200, 150, 100), peaked(5000), 2000,
        statics, false);
    assertEquals(2000.0, budget.limits().memoryLimitMb(), "still within the host budget");
  }

  /** Regression: in enforce, --memory-limit-mb and --timeout-s were silently ignored. */
  @Test
  void theUsersOwnLimitsBoundThePredictedOnesFromAbove() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 100), peaked(0), 20_000,
        StaticLimits.of(250.0, 90.0), false);
    assertEquals(250.0, d.limits().memoryLimitMb(), "never more than was asked");
    assertEquals(90.0, d.limits().timeoutSeconds());
    assertTrue(d.limits().boundByRequest());
    assertNull(d.note(), "nothing in the history says 250 MB is too small");

    SizingDecision roomy = policy.decide(Mode.ENFORCE, model(200, 150, 100), peaked(0), 20_000,
        StaticLimits.of(4000.0, 3600.0), false);
    assertEquals(300.0, roomy.limits().memoryLimitMb(), "a larger request is no floor");
    assertEquals(130.0, roomy.limits().timeoutSeconds());
    assertFalse(roomy.limits().boundByRequest());

    SizingDecision tooSmall = policy.decide(Mode.ENFORCE, model(200, 150, 100), peaked(400), 20_000,
        StaticLimits.of(100.0, null), false);
    assertEquals(100.0, tooSmall.limits().memoryLimitMb());
    assertTrue(tooSmall.note().contains("below what this analysis has needed (400 MB"),
        tooSmall.note());
    SizingDecision hostWins = policy.decide(Mode.ENFORCE, model(8000, 6000, 100),
        peaked(9500), 8000,
        StaticLimits.of(10_000.0, null), false);
    assertEquals(8000.0, hostWins.limits().memoryLimitMb());
    assertFalse(hostWins.limits().boundByRequest(), "the host budget set it, not the user");
    assertTrue(hostWins.note().contains("below what this analysis has needed")
        && hostWins.note().contains("host budget"), "both said: " + hostWins.note());
  }

  @Test
  void timeoutIsNeverBelowSixtySeconds() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(200, 150, 2), peaked(100), 20_000, statics,
        false);
    assertEquals(60.0, d.limits().timeoutSeconds());
  }

  @Test
  void capIsLoweredToTheHostBudgetWithANote() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(1000, 400, 10), peaked(100), 1200, statics,
        false);
    assertEquals(1200.0, d.limits().memoryLimitMb());
    assertTrue(d.note().contains("host budget"), d.note());
  }

  @Test
  void refusesWhenEvenTheLowEndCannotFitUnlessForced() {
    SizingDecision d = policy.decide(Mode.ENFORCE, model(3000, 2500, 10),
        peaked(2600), 2000, statics,
        false);
    assertTrue(d.refused());
    assertTrue(d.note().contains("2500 MB") && d.note().contains("2000 MB"), d.note());
    SizingDecision forced = policy.decide(Mode.ENFORCE, model(3000, 2500, 10), peaked(2600),
        2000, statics, true);
    assertFalse(forced.refused());
    assertEquals(2000.0, forced.limits().memoryLimitMb());
    assertTrue(forced.note().startsWith("forced"), forced.note());
  }

  /** A model's guess, or one run that peaked far above the others, refuses nothing. */
  @Test
  void neitherAModelNorASingleOutlyingRunRefusesAJob() {
    assertFalse(policy.decide(Mode.ENFORCE, model(3000, 2500, 10), peaked(100), 2000, statics,
        false).refused(), "its runs peaked at 100 MB: the model's 3 GB is not enough");
    PeakEvidence outlier = new PeakEvidence(5, 1e6, 0, OptionalDouble.empty(),
        OptionalDouble.empty(), new PeakCalibration(), 120);
    SizingDecision d = policy.decide(Mode.ENFORCE, model(1e6, 5e5, 10), outlier, 2000, statics,
        false);
    assertFalse(d.refused(), "one run of 1 TB among runs of 120 MB");
    assertEquals(2000.0, d.limits().memoryLimitMb(), "capped at the host budget instead");
  }

  @Test
  void aPriorIsNoBasisForTightCapsOrRefusal() {
    Prediction prior = ColdStart.prior("python");
    SizingDecision d = policy.decide(Mode.ENFORCE, prior, peaked(0), 100, statics, false);
    assertFalse(d.refused());
    assertEquals("static", d.limits().source());
    assertEquals(100.0, d.limits().memoryLimitMb(), "static slot capped to the host budget");
    assertEquals(StaticLimits.DEFAULT_TIMEOUT_S, d.limits().timeoutSeconds());
  }

  @Test
  void dryRunEnforcesNothingAndReportsAWouldBeRefusal() {
    SizingDecision d = policy.decide(Mode.DRY_RUN, model(3000, 2500, 10),
        peaked(2600), 2000, statics,
        false);
    assertFalse(d.refused());
    assertFalse(d.limits().any());
    assertTrue(d.note().startsWith("dry-run, not refused"), d.note());
  }

  @Test
  void deterministicUsesOnlyStaticLimits() {
    SizingDecision d = policy.decide(Mode.DETERMINISTIC, model(3000, 2500, 10), peaked(100), 20_000,
        StaticLimits.of(512.0, 30.0), false);
    assertEquals(512.0, d.limits().memoryLimitMb());
    assertEquals(30.0, d.limits().timeoutSeconds());
    assertFalse(d.refused());
  }

  @Test
  void marginIsConfigurableButNeverBelowOne() {
    assertEquals(250.0, SizingPolicy.spec(1.25).memoryCapMb(200));
    assertThrows(IllegalArgumentException.class, () -> SizingPolicy.spec(0.9));
    assertThrows(IllegalArgumentException.class, () -> SizingPolicy.calibrated(0));
    assertThrows(IllegalArgumentException.class, () -> SizingPolicy.calibrated(0.6));
  }

  @Test
  void theRuleMarginAndTargetComeFromTheEnvironmentWhenSet() {
    SizingPolicy defaults = SizingPolicy.fromEnvironment(Map.of());
    assertEquals(SizingPolicy.Rule.CALIBRATED, defaults.rule());
    assertEquals(1.5, defaults.memoryMargin());
    assertEquals(0.02, defaults.targetFailureRate());
    assertEquals(1.1,
        SizingPolicy.fromEnvironment(Map.of("FORGE_MEMORY_MARGIN", "1.1")).memoryMargin());
    assertEquals(SizingPolicy.Rule.SPEC,
        SizingPolicy.fromEnvironment(Map.of("FORGE_SIZING", "spec")).rule());
    assertEquals(0.05, SizingPolicy.fromEnvironment(
        Map.of("FORGE_TARGET_FAILURE_RATE", "0.05")).targetFailureRate());
    assertThrows(IllegalArgumentException.class,
        () -> SizingPolicy.fromEnvironment(Map.of("FORGE_MEMORY_MARGIN", "wide")));
    assertThrows(IllegalArgumentException.class,
        () -> SizingPolicy.fromEnvironment(Map.of("FORGE_MEMORY_MARGIN", "0.8")));
    assertThrows(IllegalArgumentException.class,
        () -> SizingPolicy.fromEnvironment(Map.of("FORGE_SIZING", "generous")));
    IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
        () -> SizingPolicy.fromEnvironment(Map.of("FORGE_TARGET_FAILURE_RATE", "2")));
    assertTrue(rate.getMessage().contains("FORGE_TARGET_FAILURE_RATE"), rate.getMessage());
  }

  @Test
  void calibratedCapsSitTheLearnedMarginAboveTheLargestPeak() {
    SizingPolicy calibrated = new SizingPolicy();
    PeakCalibration c = steady();
    PeakEvidence known = new PeakEvidence(50, 1000, 0, OptionalDouble.empty(),
        OptionalDouble.empty(), c, 1000);
    SizingDecision d = calibrated.decide(Mode.ENFORCE, model(200, 150, 100), known, 20_000,
        statics, false);
    double cap = d.limits().memoryLimitMb();
    assertEquals(980, cap, 1e-6, "the largest of the later runs, which never came back to the"
        + " first run's peak: not 1.5 x the prediction or 1.1 x the peak");
    assertEquals(130.0, d.limits().timeoutSeconds(), "the timeout is the spec's");
    SizingDecision looser = SizingPolicy.calibrated(0.2).decide(Mode.ENFORCE,
        model(200, 150, 100), known, 20_000, statics, false);
    assertTrue(looser.limits().memoryLimitMb() <= cap, "a higher target failure rate never caps"
        + " wider: " + looser.limits().memoryLimitMb() + " vs " + cap);
  }

  @Test
  void withoutEvidenceAJobGetsItsRequestNotTheModelsGuess() {
    SizingPolicy calibrated = new SizingPolicy();
    PeakEvidence none = new PeakEvidence(0, 0, 0, OptionalDouble.empty(),
        OptionalDouble.of(11), new PeakCalibration(), 0);
    SizingDecision asked = calibrated.decide(Mode.ENFORCE, model(11, 8, 100), none, 20_000,
        StaticLimits.of(600.0, null), false);
    assertEquals("static", asked.limits().source());
    assertEquals(600.0, asked.limits().memoryLimitMb(), "the request, not 1.5 x 11 MB");
    SizingDecision unasked = calibrated.decide(Mode.ENFORCE, model(11, 8, 100), none, 20_000,
        statics, false);
    assertEquals(StaticLimits.DEFAULT_MEMORY_MB, unasked.limits().memoryLimitMb());
  }

  @Test
  void aFirstRunIsSizedFromItsToolsOtherAnalyses() {
    PeakCalibration c = steady();
    for (int w = 0; w < 60; w++) { // first runs of a tool landing 0-10 % above its peak
      c.completed("other" + w + ":SAMTOOLS_SORT", 500 * (1 + 0.1 * (w % 11) / 10));
    }
    PeakEvidence e = PeakEvidence.of("mine:SAMTOOLS_SORT", Predictor.Earlier.none(),
        model(11, 8, 100), c);
    assertEquals(550.0, e.toolPeakMb().getAsDouble(), 1e-9);
    SizingDecision d = new SizingPolicy().decide(Mode.ENFORCE, model(11, 8, 100), e, 20_000,
        statics, false);
    assertEquals("predicted", d.limits().source());
    assertTrue(d.limits().memoryLimitMb() >= 550 && d.limits().memoryLimitMb() < 700,
        "from the tool's peak: " + d.limits().memoryLimitMb());
    assertEquals(StaticLimits.DEFAULT_TIMEOUT_S, d.limits().timeoutSeconds(),
        "no run of its own: no predicted timeout");
  }

  @Test
  void aFirstRunIsSizedFromTheModelAsFarAsItsGuessesForNewAnalysesHeld() {
    PeakCalibration c = new PeakCalibration();
    for (int i = 0; i < 200; i++) { // its guesses for new analyses were 0.5-3 x off
      c.coldPrediction(100, 50 + 250 * (i % 101) / 100.0);
    }
    PeakEvidence e = PeakEvidence.of("new.py", Predictor.Earlier.none(), model(11, 8, 100), c);
    assertEquals(11.0, e.modelPeakMb().getAsDouble());
    double cap = new SizingPolicy().decide(Mode.ENFORCE, model(11, 8, 100), e, 20_000, statics,
        false).limits().memoryLimitMb();
    assertTrue(cap >= 30 && cap <= 33 + 1e-9, "about 3 x the 11 MB guess: " + cap);
    PeakEvidence fromHistory = PeakEvidence.of("new.py", new Predictor.Earlier(
        List.of(new Usage(1, 20, 1)), PriorRuns.of(List.of(new Usage(1, 20, 1)))),
        model(11, 8, 100), c);
    assertTrue(fromHistory.modelPeakMb().isEmpty(), "once it has run, its own peak sizes it");
  }

  @Test
  void aFirstRunWithBothToolAndModelTakesTheSmallerCapEachAtHalfTheRate() {
    PeakCalibration c = new PeakCalibration();
    for (int w = 0; w < 120; w++) { // first runs land 0-10 % above their tool's peak
      c.completed("wf" + w + ":SORT", 500 * (1 + 0.1 * (w % 11) / 10));
    }
    for (int i = 0; i < 60; i++) { // too few model scores for half of 2 %
      c.coldPrediction(100, 300);
    }
    PeakEvidence e = PeakEvidence.of("new:SORT", Predictor.Earlier.none(), model(11, 8, 100), c);
    double toolOnly = e.capMb(0.02).getAsDouble();
    assertTrue(toolOnly >= 550 && toolOnly <= 605, "the tool's cap at the full rate: " + toolOnly);
    for (int i = 0; i < 60; i++) {
      c.coldPrediction(100, 300);
    }
    double both = PeakEvidence.of("new:SORT", Predictor.Earlier.none(), model(11, 8, 100), c)
        .capMb(0.02).getAsDouble();
    assertEquals(33.0, both, 1e-9, "the model's 3 x its 11 MB guess is the smaller");
  }

  @Test
  void aKillRaisesTheNextCapToTheRetryRulesWhateverTheCalibration() {
    PeakEvidence killed = new PeakEvidence(0, 0, 300, OptionalDouble.empty(),
        OptionalDouble.empty(), new PeakCalibration(), 0);
    SizingDecision d = new SizingPolicy().decide(Mode.ENFORCE, model(11, 8, 100), killed,
        20_000, statics, false);
    assertEquals(600.0, d.limits().memoryLimitMb(), "twice the cap it was killed at");
    PeakEvidence killedAfterRuns = new PeakEvidence(50, 1000, 1000, OptionalDouble.empty(),
        OptionalDouble.empty(), steady(), 1000);
    assertEquals(2000.0, new SizingPolicy().decide(Mode.ENFORCE, model(200, 150, 100),
        killedAfterRuns, 20_000, statics, false).limits().memoryLimitMb());
    SizingDecision asked = new SizingPolicy().decide(Mode.ENFORCE, model(200, 150, 100),
        killedAfterRuns, 20_000, StaticLimits.of(1500.0, null), false);
    assertEquals(1500.0, asked.limits().memoryLimitMb(), "the user's limit still bounds it");
    assertTrue(asked.note().contains("killed at its cap last time"), asked.note());
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
