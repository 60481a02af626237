package io.forge.model.history;

import io.forge.model.Job;
import io.forge.model.Outcome;
import io.forge.model.ScriptText;
import io.forge.model.Usage;
import io.forge.model.features.FeatureExtractor;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.Basis;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.Interval;
import io.forge.model.predict.Prediction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builders of stored runs for tests. */
public final class TestRuns {

  private TestRuns() {}

  /** A recorded-but-unsettled launcher run. */
  public static NewRun newRun(String analysisId, String script, double inputMb, Instant at) {
    Features f =
        FeatureExtractor.extract(
            new Job(analysisId, "python3", ScriptText.of(script), List.of(inputMb)),
            PriorRuns.none());
    Prediction p = ColdStart.prior("python");
    return new NewRun(
        UUID.randomUUID().toString(), analysisId, f, p, "dry-run", null, null, "none",
        "python3 " + analysisId, "launcher", null, null, at);
  }

  /** A recorded-but-unsettled run enforced under a memory cap. */
  public static NewRun capped(String analysisId, double memoryLimitMb, Instant at) {
    NewRun r = newRun(analysisId, "", 1, at);
    return new NewRun(r.runId(), analysisId, r.features(), r.prediction(), "enforce",
        memoryLimitMb, 60.0, "cgroup-v2", r.command(), "launcher", null, null, at);
  }

  /** A recorded-but-unsettled run a trained model (v1) predicted to peak at {@code rssMb}. */
  public static NewRun modelPredicted(String analysisId, double rssMb, Instant at) {
    NewRun r = newRun(analysisId, "", 1, at);
    Prediction p = new Prediction(10, rssMb, 20, 0.5, new Interval(5, 20),
        new Interval(rssMb / 2, rssMb * 2), new Interval(10, 40), 1, Basis.MODEL);
    return new NewRun(r.runId(), analysisId, r.features(), p, "dry-run", null, null, "none",
        r.command(), "launcher", null, null, at);
  }

  /** A settlement with the given usage. */
  public static Settlement ok(Usage actual, Instant at) {
    return new Settlement(actual, Outcome.OK, 0, at);
  }
}
