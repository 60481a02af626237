package io.forge.model.bench;

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

/** Wall time of one full training (hold-out fits + final fits, three targets) on 10,000 rows. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class TrainingBenchmark {

  private List<TrainingRow> rows;

  @Setup(Level.Trial)
  public void setUp() {
    rows = SyntheticRuns.generate(10_000, 11);
  }

  @Benchmark
  public TrainedModel train10kRows() {
    return new Trainer().train(rows, Trainer.Progress.none());
  }
}
