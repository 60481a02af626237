package io.forge.model.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Job;
import io.forge.model.Json;
import io.forge.model.Outcome;
import io.forge.model.ScriptText;
import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.db.HistoryStore;
import io.forge.model.db.StoreLocation;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import io.forge.model.predict.Basis;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.Predictor;
import io.forge.model.stats.StatsReport;
import io.forge.model.train.RetrainPolicy;
import io.forge.model.train.Trainer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgeModelTest {

  @TempDir Path home;

  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /** A mutable clock so the retrain policy's week can pass without sleeping. */
  static final class TestClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private ForgeModel open(TestClock clock) {
    return new ForgeModel(
        HistoryStore.open(StoreLocation.embedded(home)), new Trainer(Trainer.Settings.defaults(),
            clock), clock);
  }

  private static final List<String> SCRIPTS =
      List.of(
          "import numpy as np\nx = np.ones(10)\n",
          "import pandas as pd\ndf = pd.read_csv('x')\n",
          "import scanpy as sc\nsc.pp.log1p(a)\nsc.tl.umap(a)\n",
          "library(Seurat)\nobj <- CreateSeuratObject(x)\n");

  /** Records and settles {@code n} runs through the predictor, as a launcher would. */
  static void runJobs(ForgeModel forge, TestClock clock, int n, long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(SCRIPTS.size());
      double inputMb = Math.exp(random.nextDouble() * Math.log(2000));
      String runtime = kind == 3 ? "Rscript" : "python3";
      Job job = new Job("analysis-" + kind, runtime, ScriptText.of(SCRIPTS.get(kind)),
          List.of(inputMb));
      Predictor.Planned planned = forge.predictor().plan(job);
      String runId = UUID.randomUUID().toString();
      forge.history().record(new NewRun(runId, job.analysisId(), planned.features(),
          planned.prediction(), "dry-run", null, null, "none", null, "launcher", null, null,
          clock.instant()));
      double rss = (100 + 300 * kind) + (1 + kind) * inputMb;
      double cpu = 0.5 + 0.01 * (1 + kind) * inputMb;
      clock.now = clock.now.plusSeconds(10);
      forge.history().settle(runId, new Settlement(new Usage(cpu, rss, cpu * 1.1 + 0.2),
          Outcome.OK, 0, clock.instant()));
    }
  }

  @Test
  void coldStartGoesFromPriorToHistoryToModel() {
    TestClock clock = new TestClock();
    ForgeModel forge = open(clock);
    Prediction prior = forge.predictor().predict("analysis-0", SCRIPTS.get(0), "python3",
        new double[] {10});
    assertEquals(Basis.PRIOR, prior.basis());
    assertTrue(prior.confidence() < 0.05, "prior confidence " + prior.confidence());
    assertNull(prior.modelVersion());

    runJobs(forge, clock, 40, 1);
    Prediction history = forge.predictor().predict("analysis-0", SCRIPTS.get(0), "python3",
        new double[] {10});
    assertEquals(Basis.HISTORY, history.basis());
    assertTrue(history.confidence() > prior.confidence());

    forge.train(Trainer.Progress.none());
    Prediction model = forge.predictor().predict("analysis-0", SCRIPTS.get(0), "python3",
        new double[] {10});
    assertEquals(Basis.MODEL, model.basis());
    assertEquals(1, model.modelVersion());
  }

  @Test
  void retrainGuardNeedsOneHundredRowsAndAWeek() {
    TestClock clock = new TestClock();
    ForgeModel forge = open(clock);
    runJobs(forge, clock, 99, 2);
    ForgeModel.RetrainResult at99 = forge.retrainIfReady(Trainer.Progress.none());
    assertFalse(at99.decision().train());
    assertTrue(at99.decision().reason().contains("99"), at99.decision().reason());
    assertTrue(forge.models().latestInfo().isEmpty());

    runJobs(forge, clock, 1, 3);
    ForgeModel.RetrainResult at100 = forge.retrainIfReady(Trainer.Progress.none());
    assertTrue(at100.decision().train(), at100.decision().reason());
    assertEquals(1, at100.model().orElseThrow().info().version());

    clock.now = clock.now.plus(Duration.ofDays(3));
    ForgeModel.RetrainResult young = forge.retrainIfReady(Trainer.Progress.none());
    assertFalse(young.decision().train());
    assertTrue(young.decision().reason().contains("next retrain due"), young.decision().reason());

    clock.now = clock.now.plus(Duration.ofDays(4));
    ForgeModel.RetrainResult week = forge.retrainIfReady(Trainer.Progress.none());
    assertTrue(week.decision().train(), week.decision().reason());
    assertEquals(2, week.model().orElseThrow().info().version());
  }

  @Test
  void retrainingPaysWhenTheHistoryGrewByAQuarterOrNewAnalysesRan() {
    TestClock clock = new TestClock();
    ForgeModel forge = open(clock);
    runJobs(forge, clock, 200, 5);
    assertTrue(forge.retrainIfReady(Trainer.Progress.none()).decision().train());
    runJobs(forge, clock, 99, 6);
    RetrainPolicy.Decision notYet = forge.retrainDecision();
    assertFalse(notYet.train(), notYet.reason());
    assertTrue(notYet.reason().contains("after 1 more runs or 10 more new analyses"),
        notYet.reason());
    runJobs(forge, clock, 1, 7);
    RetrainPolicy.Decision grown = forge.retrainDecision();
    assertTrue(grown.train() && grown.reason().contains("100 runs settled since model v1"),
        grown.reason());
    forge.train(Trainer.Progress.none());

    for (int a = 0; a < 10; a++) { // ten analyses run for the first time, one run each
      String runId = UUID.randomUUID().toString();
      Job job = new Job("fresh-" + a, "python3", ScriptText.of(SCRIPTS.get(0)), List.of(1.0));
      Predictor.Planned planned = forge.predictor().plan(job);
      forge.history().record(new NewRun(runId, job.analysisId(), planned.features(),
          planned.prediction(), "dry-run", null, null, "none", null, "launcher", null, null,
          clock.instant()));
      clock.now = clock.now.plusSeconds(10);
      forge.history().settle(runId, new Settlement(new Usage(1, 50, 1), Outcome.OK, 0,
          clock.instant()));
      assertEquals(a == 9, forge.retrainDecision().train(), forge.retrainDecision().reason());
    }
    assertTrue(forge.retrainDecision().reason().contains("10 analyses ran for the first time"));
  }

  @Test
  void aStoredModelPredictsIdenticallyAfterARestart() {
    TestClock clock = new TestClock();
    ForgeModel first = open(clock);
    runJobs(first, clock, 120, 4);
    first.train(Trainer.Progress.none());
    double[][] inputs = {{1}, {50}, {700}, {1999}};
    Prediction[] before = new Prediction[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      before[i] = first.predictor().predict("analysis-2", SCRIPTS.get(2), "python3", inputs[i]);
    }
    first.history().close();

    ForgeModel restarted = open(clock);
    for (int i = 0; i < inputs.length; i++) {
      assertEquals(before[i],
          restarted.predictor().predict("analysis-2", SCRIPTS.get(2), "python3", inputs[i]));
    }
    assertEquals(120, restarted.models().latestInfo().orElseThrow().rowCount());
    assertEquals(Optional.of(Optional.of(1)), io.forge.model.snapshot.PredictorSnapshot
        .modelVersion(io.forge.model.snapshot.PredictorSnapshot.file(home)), "header names v1");

    // A launch predicts from the snapshot that training wrote: the same numbers.
    Predictor fromSnapshot = new Predictor(
        io.forge.model.snapshot.LaunchSource.load(home).orElseThrow(), clock);
    for (int i = 0; i < inputs.length; i++) {
      assertEquals(before[i],
          fromSnapshot.predict("analysis-2", SCRIPTS.get(2), "python3", inputs[i]));
    }
  }

  @Test
  void statsReportAccuracyOverTheLastSettledRuns() {
    TestClock clock = new TestClock();
    ForgeModel forge = open(clock);
    runJobs(forge, clock, 100, 5);
    forge.train(Trainer.Progress.none());
    runJobs(forge, clock, 60, 6);
    StatsReport stats = forge.stats(50);
    assertEquals(50, stats.runsEvaluated());
    assertEquals(160, stats.measuredRuns());
    assertEquals(Map.of("ok", 160), stats.outcomes());
    double r2Log = stats.accuracy().get(Target.PEAK_RSS_MB).r2Log();
    assertTrue(r2Log > 0.8, "model-basis log R² over the last 50 runs: " + r2Log);
    Map<String, Object> json = stats.toJson();
    assertEquals(50, json.get("runs_evaluated"));
    assertEquals(false, json.get("retrain_due"));
    assertTrue(Json.write(json).contains("\"r2_log\""));
  }

  /**
   * Regression: the demo's dashboard headlined R² -8793 because its window held runs predicted
   * by a prior before there was a model. The headline is the model's, on the runs it predicted.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theHeadlineScoresOnlyRunsTheModelPredictedAndTheOthersAreCountedApart() {
    TestClock clock = new TestClock();
    ForgeModel forge = open(clock);
    runJobs(forge, clock, 100, 5);
    forge.train(Trainer.Progress.none());
    runJobs(forge, clock, 60, 6);
    StatsReport stats = forge.stats(100);
    assertEquals(100, stats.settled().size(), "every run is drawn");
    assertEquals(60, stats.runsEvaluated(), "the headline covers the model's 60 runs");
    assertEquals(40, stats.byBasis().get(io.forge.model.predict.Basis.HISTORY)
        .get(Target.PEAK_RSS_MB).runs(), "the 40 earlier ones are scored apart");
    Map<String, Object> byBasis = (Map<String, Object>) stats.toJson().get("by_basis");
    assertEquals(60L, ((Map<String, Object>) byBasis.get("model")).get("runs_settled"));
    assertEquals(40L, ((Map<String, Object>) byBasis.get("history")).get("runs_settled"));
    assertEquals(0, ((Map<String, Object>) byBasis.get("prior")).get("runs_evaluated"));
  }

  @Test
  void aLaunchIngestsOnlyWhenNoOtherProcessIsIngesting() throws Exception {
    io.forge.model.spool.Spool spool = new io.forge.model.spool.Spool(home);
    NewRun run = io.forge.model.history.TestRuns.newRun("burst.py", "", 1, T0);
    spool.record(run);
    spool.settle(run, io.forge.model.history.TestRuns.ok(new Usage(1, 20, 2), T0.plusSeconds(2)));
    ForgeModel forge = ForgeModel.open(StoreLocation.embedded(home), Clock.systemUTC());
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
        home.resolve(ForgeModel.INGEST_LOCK), java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.channels.FileLock ingesting = channel.lock();
      assertTrue(forge.ingestUnlessBusy().isEmpty(), "another ingests: go on at once");
      assertEquals(1, spool.size());
      ingesting.release();
    }
    assertEquals(1, forge.ingestUnlessBusy().orElseThrow().ingested());
    assertEquals(0, spool.size());
  }
}
