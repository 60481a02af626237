package io.forge.model.bench;

import io.forge.model.Job;
import io.forge.model.features.FeatureExtractor;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.ScriptText;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.TrainedModel;
import io.forge.model.train.SyntheticRuns;
import io.forge.model.train.Trainer;
import io.forge.model.train.TrainingRow;
import java.util.List;
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
 * Latency of the model's hot paths: features of a 1 KB and a 1 MB script, and one prediction
 * (features + three boosted regressors + intervals) with a model trained on 2,000 rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PredictionBenchmark {

  private ScriptText script1k;
  private ScriptText script1m;
  private TrainedModel model;
  private Job job;

  @Setup(Level.Trial)
  public void setUp() {
    script1k = ScriptText.of(Scripts.python(1024));
    script1m = ScriptText.of(Scripts.python(1024 * 1024));
    List<TrainingRow> rows = SyntheticRuns.generate(2000, 7);
    model = new Trainer().train(rows, Trainer.Progress.none());
    job = new Job("cluster.py", "python3", script1k, List.of(350.0, 12.0));
  }

  @Benchmark
  public Features features1kScript() {
    return FeatureExtractor.extract(
        new Job("a", "python3", script1k, List.of(10.0)), PriorRuns.none());
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Features features1mScript() {
    return FeatureExtractor.extract(
        new Job("a", "python3", script1m, List.of(10.0)), PriorRuns.none());
  }

  /** One job end to end in memory: feature extraction of its 1 KB script and the prediction. */
  @Benchmark
  public Prediction predictOneJob() {
    return model.predict(FeatureExtractor.extract(job, PriorRuns.none()));
  }
}
