package io.forge.launcher.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.features.ScriptFeatures;
import io.forge.model.history.RunRecord;
import io.forge.model.train.Trainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  /** Imported-like runs: peak = base(analysis) + slope × input, 5 % noise, in time order. */
  static List<RunRecord> runs(int n, boolean requested) {
    Random random = new Random(3);
    List<RunRecord> runs = new ArrayList<>();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      int a = random.nextInt(4);
      double input = 10 + random.nextInt(500);
      double peak = (100 + 200 * a + (a + 1) * input) * Math.exp(random.nextGaussian() * 0.05);
      double wall = 30 + input / 10;
      runs.add(new RunRecord(i + 1, "r" + i, "proc" + a, "nextflow", null,
          new Usage(wall * 0.9, peak, wall), t.plusSeconds(60L * i), t.plusSeconds(60L * i + 30),
          "import", requested ? 16384.0 : null, null, null, 0, Outcome.OK, 1, input, input,
          ScriptFeatures.none(), null, "import", a < 2 ? "wf-a" : "wf-b"));
    }
    return runs;
  }

  static Evaluation.Settings settings(String protocol) {
    return settings(protocol, null);
  }

  static Evaluation.Settings settings(String protocol, String holdout) {
    return new Evaluation.Settings(protocol, 100, 8192, List.of(0.01, 0.02, 0.05), holdout,
        Trainer.Settings.defaults());
  }

  static RunRecord run(long id, String analysis, double peakMb, Double requestedMb,
      Instant submitted, Instant completed, String label) {
    return new RunRecord(id, "r" + id, analysis, "nextflow", null, new Usage(10, peakMb, 36),
        submitted, completed, "import", requestedMb, null, null, 0, Outcome.OK, 1, 10, 10,
        ScriptFeatures.none(), null, "import", label);
  }

  @Test
  @SuppressWarnings("unchecked")
  void liveScoresEveryRunAfterTheWarmUpAgainstTheBaselines() {
    Map<String, Object> r = Evaluation.run(runs(400, true), settings("live"), (d, t, w) -> { },
        java.time.Clock.systemUTC());
    assertEquals("live", r.get("protocol"));
    assertEquals(360, r.get("runs_evaluated"), "warm-up = max(30, 10 %) = 40");
    Map<String, Object> overall = (Map<String, Object>) r.get("overall");
    Map<String, Object> rss = (Map<String, Object>) ((Map<String, Object>) overall.get("targets"))
        .get("peak_rss_mb");
    assertTrue((Double) rss.get("r2_log") > 0.8, "learned the relationship: " + rss);
    Map<String, Object> sizing = (Map<String, Object>) overall.get("sizing");
    for (String policy : List.of("forge", "requested", "static", "max_history", "witt_lr")) {
      assertTrue(sizing.containsKey(policy), policy);
    }
    double forge = (Double) ((Map<String, Object>) sizing.get("forge")).get("wastage_gbh");
    double requested =
        (Double) ((Map<String, Object>) sizing.get("requested")).get("wastage_gbh");
    assertTrue(forge < requested / 4, "16 GB requests waste far more: " + sizing);
    Map<String, Object> groups = (Map<String, Object>) r.get("groups");
    assertEquals(List.of("wf-a", "wf-b"), new ArrayList<>(groups.keySet()));
    assertEquals(3, ((List<?>) overall.get("failure_targets")).size());
    Map<String, Object> wfA = (Map<String, Object>) groups.get("wf-a");
    Map<String, Object> analyses = (Map<String, Object>) wfA.get("analyses");
    assertEquals(List.of("proc0", "proc1"), new ArrayList<>(analyses.keySet()));
    int perAnalysis = 0;
    for (Object a : analyses.values()) {
      perAnalysis += (Integer) ((Map<String, Object>) a).get("runs");
    }
    assertEquals(wfA.get("runs"), perAnalysis, "the breakdown adds up to its group");
    Map<String, Object> cost = (Map<String, Object>) r.get("decision_us");
    assertTrue((Double) cost.get("p99") >= (Double) cost.get("p50")
        && (Double) cost.get("p50") > 0, cost.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBaselineTheDataCannotSupportIsOmittedNotInvented() {
    Map<String, Object> r = Evaluation.run(runs(200, false), settings("live"), (d, t, w) -> { },
        java.time.Clock.systemUTC());
    Map<String, Object> sizing = (Map<String, Object>) ((Map<String, Object>) r.get("overall"))
        .get("sizing");
    assertFalse(sizing.containsKey("requested"), sizing.toString());
  }

  @Test
  void paperProtocolKeepsAnalysesWithThirtyFourRunsAndWarmsUpOnThirtyPercentOfEach() {
    List<RunRecord> all = runs(300, true);
    List<RunRecord> kept = Evaluation.paperSelection(all);
    assertEquals(300, kept.size(), "each of the 4 analyses has about 75 runs");
    boolean[] evaluated = Evaluation.paperEvaluated(kept, null);
    int count = 0;
    for (boolean e : evaluated) {
      count += e ? 1 : 0;
    }
    assertTrue(count > 200 && count < 215, "about 70 % evaluated: " + count);
    List<RunRecord> few = runs(100, true).subList(0, 60);
    assertTrue(Evaluation.paperSelection(few).isEmpty(), "no analysis reaches 34 runs");
    assertThrows(IllegalArgumentException.class, () -> settings("guess"));
  }

  @Test
  void liveKnowsOnlyWhatHadCompletedPaperKnowsEverythingBefore() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<RunRecord> runs = List.of(
        run(1, "a", 100, null, t, t.plusSeconds(10), "wf"),
        run(2, "a", 100, null, t.plusSeconds(5), t.plusSeconds(6), "wf"),
        run(3, "a", 100, null, t.plusSeconds(8), t.plusSeconds(9), "wf"));
    assertEquals(List.of(new Timeline.Event(0, true), new Timeline.Event(1, true),
        new Timeline.Event(1, false), new Timeline.Event(2, true), new Timeline.Event(2, false),
        new Timeline.Event(0, false)), Timeline.of(runs, false, null).events(),
        "run 3 is sized knowing run 2, not run 1, which completes after it");
    assertEquals(List.of(new Timeline.Event(0, true), new Timeline.Event(0, false),
        new Timeline.Event(1, true), new Timeline.Event(1, false), new Timeline.Event(2, true),
        new Timeline.Event(2, false)), Timeline.of(runs, true, null).events());
  }

  /**
   * A burst of a process never seen, of a tool other workflows ran: Forge sizes it from the
   * tool's peak and the margin first runs of a tool needed, where the baselines can only take
   * the request.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aBurstOfANewProcessOfAKnownToolIsSizedFromTheTool() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      double peak = 450 + 50 * ((i * 7) % 10) / 9.0; // 450-500 MB in every workflow
      runs.add(run(i + 1, "WF" + i + ":SAMTOOLS_SORT", peak, 4000.0, t.plusSeconds(i * 100L),
          t.plusSeconds(i * 100L + 50), "seen"));
    }
    Instant burst = t.plusSeconds(80 * 100L);
    for (int i = 0; i < 40; i++) {
      runs.add(run(200 + i, "NEW:SAMTOOLS_SORT", 480, 4000.0, burst.plusMillis(i),
          burst.plusSeconds(60 + i), "unseen"));
    }
    Map<String, Object> live = Evaluation.run(runs, settings("live", "unseen"),
        (d, w, x) -> { }, java.time.Clock.systemUTC());
    Map<String, Object> sizing = (Map<String, Object>) ((Map<String, Object>)
        live.get("overall")).get("sizing");
    Map<String, Object> forge = (Map<String, Object>) sizing.get("forge");
    Map<String, Object> requested = (Map<String, Object>) sizing.get("requested");
    assertEquals(0, forge.get("first_attempt_failures"), forge.toString());
    assertTrue((Double) forge.get("wastage_gbh") < (Double) requested.get("wastage_gbh") / 20,
        "capped near the tool's 500 MB, not at the 4 000 MB request: " + sizing);
  }

  /**
   * A workflow never seen submits a burst of one process: under live nobody has its history,
   * so the baselines fall back to the request; under paper each run knows all before it.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aBurstOfANewProcessIsSizedFromTheRequestUnderLive() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      runs.add(run(i + 1, "old", 200, 1000.0, t.plusSeconds(i * 100L),
          t.plusSeconds(i * 100L + 50), "seen"));
    }
    Instant burst = t.plusSeconds(60 * 100L);
    for (int i = 0; i < 40; i++) {
      runs.add(run(100 + i, "new", 500, 4000.0, burst.plusMillis(i), burst.plusSeconds(60 + i),
          "unseen"));
    }
    Map<String, Object> live = Evaluation.run(runs, settings("live", "unseen"),
        (d, w, x) -> { }, java.time.Clock.systemUTC());
    assertEquals("unseen", live.get("holdout_label"));
    assertEquals(40, live.get("runs_evaluated"), "every run of the held-out workflow");
    Map<String, Object> sizing = (Map<String, Object>) ((Map<String, Object>)
        live.get("overall")).get("sizing");
    Map<String, Object> maxHistory = (Map<String, Object>) sizing.get("max_history");
    double hours = 36 / 3600.0;
    assertEquals(Math.round(40 * (4000 - 500) / 1024.0 * hours * 1000) / 1000.0,
        maxHistory.get("wastage_gbh"), "each run of the burst got its request");
    assertEquals(maxHistory, sizing.get("requested"));
    assertEquals(maxHistory, sizing.get("forge"), "Forge has no evidence either: the request");

    Map<String, Object> paper = Evaluation.run(runs, settings("paper", "unseen"),
        (d, w, x) -> { }, java.time.Clock.systemUTC());
    Map<String, Object> paperMaxHistory = (Map<String, Object>) ((Map<String, Object>)
        ((Map<String, Object>) paper.get("overall")).get("sizing")).get("max_history");
    assertEquals(28, paper.get("runs_evaluated"), "the first 30 % of 'new' is warm-up");
    assertEquals(Math.round(28 * (1.1 * 500 - 500) / 1024.0 * hours * 1000) / 1000.0,
        paperMaxHistory.get("wastage_gbh"), "sequential: each run knows the ones before");
  }

  /** The hindsight bound caps each analysis at its largest scored peak: no failure, and the
   * wastage is what is left between each run's peak and that one cap. */
  @Test
  @SuppressWarnings("unchecked")
  void theHindsightBoundCapsEachAnalysisAtItsLargestScoredPeak() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<RunRecord> runs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      runs.add(run(i + 1, "seen", 300, 1000.0, t.plusSeconds(i * 100L),
          t.plusSeconds(i * 100L + 50), "old"));
    }
    double wasted = 0;
    for (int i = 0; i < 40; i++) {
      double peak = 500 + 10 * (i % 5);
      wasted += 540 - peak;
      runs.add(run(100 + i, i % 2 == 0 ? "even" : "odd", peak + (i % 2) * 1000, 4000.0,
          t.plusSeconds(5000 + i * 100L), t.plusSeconds(5050 + i * 100L), "new"));
    }
    Map<String, Object> r = Evaluation.run(runs, settings("live", "new"), (d, w, x) -> { },
        java.time.Clock.systemUTC());
    Map<String, Object> hindsight = (Map<String, Object>) ((Map<String, Object>) ((Map<String,
        Object>) r.get("overall")).get("sizing")).get("hindsight");
    assertEquals(0, hindsight.get("first_attempt_failures"));
    assertEquals(Math.round(wasted / 1024.0 * 36 / 3600.0 * 1000) / 1000.0,
        hindsight.get("wastage_gbh"), "even tops out at 540 MB, odd at 1540 MB");
  }

  @Test
  void aHeldOutLabelIsReplayedAfterEveryOtherLabelsRunsWithTheirSpacingKept() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<RunRecord> runs = List.of(
        run(1, "x", 1, null, t.plusSeconds(100), t.plusSeconds(150), "held"),
        run(2, "y", 1, null, t.plusSeconds(50), t.plusSeconds(400), "other"),
        run(3, "y", 1, null, t.plusSeconds(300), t.plusSeconds(500), "other"));
    List<RunRecord> moved = Timeline.beforeHoldout(runs, "held");
    assertEquals(List.of(2L, 3L, 1L), List.of(moved.get(0).id(), moved.get(1).id(),
        moved.get(2).id()));
    assertTrue(moved.get(1).settledAt().isBefore(moved.get(2).predictedAt()));
    assertEquals(java.time.Duration.ofSeconds(250), java.time.Duration.between(
        moved.get(0).predictedAt(), moved.get(1).predictedAt()), "spacing kept");
    assertThrows(IllegalArgumentException.class, () -> Timeline.beforeHoldout(runs, "none"));
  }
}
