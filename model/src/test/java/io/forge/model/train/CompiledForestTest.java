package io.forge.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Target;
import io.forge.model.features.FeatureLayout;
import io.forge.model.predict.CompiledForest;
import io.forge.model.predict.TrainedModel;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.regression.GradientTreeBoost;

class CompiledForestTest {

  @Test
  void flattenedForestPredictsExactlyWhatSmilePredicts() {
    List<TrainingRow> rows = SyntheticRuns.generate(800, 21);
    double[][] x = rows.stream().map(r -> FeatureLayout.vector(r.features()))
        .toArray(double[][]::new);
    boolean[] none = new boolean[rows.size()];
    Trainer trainer = new Trainer(Trainer.Settings.defaults(), Clock.systemUTC());
    for (Target t : Target.values()) {
      DataFrame frame = Trainer.frame(x, rows, t, none, true);
      GradientTreeBoost smile = trainer.fit(frame);
      CompiledForest compiled = SmileForests.compile(smile, FeatureLayout.size());
      assertEquals(smile.trees().length, compiled.trees());
      for (TrainingRow row : SyntheticRuns.generate(2000, 22)) {
        double[] v = FeatureLayout.vector(row.features());
        double[] withResponse = Arrays.copyOf(v, v.length + 1);
        double expected = smile.predict(Tuple.of(withResponse, frame.schema()));
        assertEquals(expected, compiled.predict(v), 0.0, t + " differs from Smile");
      }
    }
  }

  @Test
  void payloadRoundTripsAndRejectsGarbage() {
    TrainedModel model = new Trainer().train(SyntheticRuns.generate(200, 5),
        Trainer.Progress.none());
    byte[] bytes = model.payloadBytes();
    TrainedModel back = TrainedModel.fromPayload(bytes, model.info());
    for (TrainingRow row : SyntheticRuns.generate(50, 6)) {
      assertEquals(model.predict(row.features()), back.predict(row.features()));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TrainedModel.fromPayload(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, model.info()));
    assertTrue(e.getMessage().contains("retrain"), e.getMessage());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
    assertThrows(IllegalStateException.class,
        () -> TrainedModel.fromPayload(truncated, model.info()));
  }
}
