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
    return new Evaluation.Settings(protocol, 100, 8192, List.of(1.25, 1.5, 2.0),
        Trainer.Settings.defaults());
  }

  @Test
  @SuppressWarnings("unchecked")
  void replayScoresEveryRunAfterTheWarmUpAgainstTheBaselines() {
    Map<String, Object> r = Evaluation.run(runs(400, true), settings("replay"), (d, t, w) -> { },
        java.time.Clock.systemUTC());
    assertEquals("replay", r.get("protocol"));
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
    assertEquals(3, ((List<?>) overall.get("margins")).size());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBaselineTheDataCannotSupportIsOmittedNotInvented() {
    Map<String, Object> r = Evaluation.run(runs(200, false), settings("replay"), (d, t, w) -> { },
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
    boolean[] evaluated = Evaluation.paperEvaluated(kept);
    int count = 0;
    for (boolean e : evaluated) {
      count += e ? 1 : 0;
    }
    assertTrue(count > 200 && count < 215, "about 70 % evaluated: " + count);
    List<RunRecord> few = runs(100, true).subList(0, 60);
    assertTrue(Evaluation.paperSelection(few).isEmpty(), "no analysis reaches 34 runs");
    assertThrows(IllegalArgumentException.class, () -> settings("guess"));
  }
}
