package io.forge.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Job;
import io.forge.model.ScriptText;
import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.features.FeatureExtractor;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.Basis;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.TrainedModel;
import io.forge.model.stats.Accuracy;
import io.forge.model.stats.TargetAccuracy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainerTest {

  static TrainedModel model;
  static List<TrainingRow> unseen;

  @BeforeAll
  static void train() {
    Trainer trainer =
        new Trainer(
            Trainer.Settings.defaults(),
            Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC));
    model = trainer.train(SyntheticRuns.generate(1500, 1), Trainer.Progress.none());
    unseen = SyntheticRuns.generate(400, 2);
  }

  @Test
  void learnsAKnownRelationshipToLogR2AboveNinetyPercentOnUnseenRows() {
    Map<Target, TargetAccuracy> accuracy = Accuracy.of(pairs());
    for (Target t : Target.values()) {
      assertTrue(
          accuracy.get(t).r2Log() >= 0.9,
          t + " log-scale R² on unseen rows was " + accuracy.get(t).r2Log());
    }
  }

  @Test
  void intervalsFromHeldOutResidualsCoverAboutNinetyFivePercent() {
    Map<Target, TargetAccuracy> accuracy = Accuracy.of(pairs());
    for (Target t : Target.values()) {
      double coverage = accuracy.get(t).intervalCoverage();
      assertTrue(coverage >= 0.85 && coverage <= 1.0, t + " coverage " + coverage);
    }
  }

  @Test
  void recordsHoldoutMetricsAndPerRuntimeSigmas() {
    Map<String, Object> holdout = model.info().holdout();
    assertTrue(holdout.containsKey("peak_rss_mb"));
    assertTrue(holdout.containsKey("sigma_by_runtime"));
    assertEquals(1500, model.info().rowCount());
    double[] python = model.sigmas("python");
    double[] unknown = model.sigmas("perl");
    assertTrue(python[1] > 0 && python[1] < 0.5, "python rss sigma " + python[1]);
    assertTrue(unknown[1] > 0, "a runtime without its own sigma uses the pooled one");
  }

  @Test
  void predictionsCarryModelBasisAndSaneConfidence() {
    Prediction p = model.predict(unseen.get(0).features());
    assertEquals(Basis.MODEL, p.basis());
    assertEquals(0, p.modelVersion(), "unsaved models have version 0");
    assertTrue(p.confidence() > 0.2 && p.confidence() <= 0.5,
        "no prior runs caps confidence at 0.5, got " + p.confidence());
    assertTrue(p.rssInterval().contains(p.peakRssMb()));
  }

  @Test
  void trainingIsReproducibleForTheSameRowsAndSeed() {
    TrainedModel again =
        new Trainer().train(SyntheticRuns.generate(1500, 1), Trainer.Progress.none());
    for (TrainingRow row : unseen.subList(0, 20)) {
      assertEquals(model.predict(row.features()).peakRssMb(),
          again.predict(row.features()).peakRssMb(), 1e-9);
    }
  }

  /**
   * Trees predict within the range of their training targets; anchored on an analysis's own
   * mean, a model follows it to a magnitude no training row had.
   */
  @Test
  void anAnalysisFarBeyondEveryTrainingTargetIsPredictedNearItsOwnRuns() {
    java.util.Random random = new java.util.Random(5);
    List<TrainingRow> rows = new ArrayList<>();
    for (int a = 0; a < 40; a++) {
      double level = 50 + 950 * random.nextDouble(); // every training peak is below ~1.1 GB
      List<Usage> earlier = new ArrayList<>();
      for (int r = 0; r < 20; r++) {
        Usage actual = new Usage(level / 10, level * Math.exp(0.05 * random.nextGaussian()),
            level / 8);
        rows.add(new TrainingRow(features("a" + a, PriorRuns.of(earlier)), actual));
        earlier.add(actual);
      }
    }
    TrainedModel anchored = new Trainer().train(rows, Trainer.Progress.none());
    List<Usage> big = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      big.add(new Usage(2000, 20_000, 2500));
    }
    Prediction p = anchored.predict(features("big", PriorRuns.of(big)));
    assertTrue(p.peakRssMb() > 15_000 && p.peakRssMb() < 27_000,
        "near its own 20 GB runs, not capped at the 1 GB the trees saw: " + p.peakRssMb());
  }

  private static Features features(String analysis, PriorRuns prior) {
    return FeatureExtractor.extract(new Job(analysis, "python3", ScriptText.of("import numpy"),
        List.of(10.0)), prior);
  }

  @Test
  void refusesTooFewRows() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Trainer().train(SyntheticRuns.generate(Trainer.MIN_ROWS - 1, 3),
                Trainer.Progress.none()));
    assertTrue(e.getMessage().contains("at least " + Trainer.MIN_ROWS), e.getMessage());
  }

  @Test
  void reportsProgressForEveryStep() {
    List<String> steps = new ArrayList<>();
    new Trainer().train(SyntheticRuns.generate(60, 4), (done, total, what) -> steps.add(what));
    assertEquals(7, steps.size(), steps.toString());
    assertEquals("done", steps.get(6));
  }

  private static List<Accuracy.Pair> pairs() {
    List<Accuracy.Pair> pairs = new ArrayList<>();
    for (TrainingRow row : unseen) {
      pairs.add(new Accuracy.Pair(model.predict(row.features()), row.actual()));
    }
    return pairs;
  }
}
