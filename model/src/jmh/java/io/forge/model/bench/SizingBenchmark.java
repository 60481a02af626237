package io.forge.model.bench;

import io.forge.model.Job;
import io.forge.model.ScriptText;
import io.forge.model.Usage;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import io.forge.model.train.SyntheticRuns;
import io.forge.model.train.Trainer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sizing decision as a live server makes it (p50/p99 by sampling): a run of another
 * analysis has just completed (its score enters a full calibration, so the margin is worked out
 * again), then the job's features, its prediction by a model trained on 2 000 rows, its
 * evidence and its calibrated cap. The launcher's {@code SizingPolicy} adds only comparisons.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SizingBenchmark {

  private Predictor predictor;
  private PeakCalibration calibration;
  private Job job;
  private final Random random = new Random(11);

  @Setup(Level.Trial)
  public void setUp() {
    TrainedModel model = new Trainer().train(SyntheticRuns.generate(2000, 7),
        Trainer.Progress.none());
    calibration = new PeakCalibration();
    // Every bucket full: 2 000 analyses of 60 runs each, peaks wandering ±20 %.
    for (int a = 0; a < 2000; a++) {
      for (int r = 0; r < 60; r++) {
        calibration.completed("wf" + a + ":step" + (a % 50),
            1000 * Math.exp(0.2 * random.nextGaussian()));
      }
    }
    List<Usage> recent = new ArrayList<>();
    for (int r = 0; r < 10; r++) {
      recent.add(new Usage(60, 900 + 10 * r, 70));
    }
    Predictor.Earlier earlier = new Predictor.Earlier(recent, PriorRuns.of(recent));
    predictor = new Predictor(new Predictor.Source() {
      @Override
      public Predictor.Earlier earlierRuns(String analysisId) {
        return earlier;
      }

      @Override
      public Optional<TrainedModel> latestModel() {
        return Optional.of(model);
      }

      @Override
      public PeakCalibration calibration() {
        return calibration;
      }
    }, Clock.systemUTC());
    job = new Job("wf:cluster", "python3", ScriptText.of(Scripts.python(1024)),
        List.of(350.0, 12.0));
  }

  /** A completed run, then one job's features, prediction and calibrated cap. */
  @Benchmark
  public double sizeOneJobAfterARunCompleted() {
    int a = random.nextInt(2000);
    calibration.completed("wf" + a + ":step" + (a % 50),
        1000 * Math.exp(0.2 * random.nextGaussian()));
    Predictor.Planned planned = predictor.plan(job);
    return planned.evidence().capMb(0.02).orElse(-1) + planned.prediction().peakRssMb();
  }
}
