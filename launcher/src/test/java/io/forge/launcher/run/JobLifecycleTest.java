package io.forge.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.Job;
import io.forge.model.Outcome;
import io.forge.model.ScriptText;
import io.forge.model.Usage;
import io.forge.model.features.PriorRuns;
import io.forge.model.history.NewRun;
import io.forge.model.predict.Basis;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The life of one job as every entry point lives it: plan, limits, row; outcome and codes. */
class JobLifecycleTest {

  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  /** A predictor whose analysis has run three times, peaking at 200 MB, 10 s each. */
  private static Predictor withHistory() {
    Usage run = new Usage(8, 200, 10);
    return new Predictor(new Predictor.Source() {
      @Override
      public Predictor.Earlier earlierRuns(String analysisId) {
        return new Predictor.Earlier(List.of(run, run, run),
            new PriorRuns(3, run, run, run));
      }

      @Override
      public Optional<TrainedModel> latestModel() {
        return Optional.empty();
      }

      @Override
      public PeakCalibration calibration() {
        return new PeakCalibration(); // too few scores: the spec's rule sizes it
      }
    }, CLOCK);
  }

  private static Job job() {
    return new Job("step.py", "python3", ScriptText.of("print(1)"), List.of(12.0));
  }

  @Test
  void aPlanCarriesThePredictionTheLimitsAndTheRowItRecords() {
    JobPlanner planner = new JobPlanner(withHistory(), new SizingPolicy(), 20_000, CLOCK);
    JobPlanner.Plan plan = planner.plan(job(), Mode.ENFORCE, StaticLimits.of(null, null),
        false);
    assertEquals(Basis.HISTORY, plan.prediction().basis());
    assertEquals(300.0, plan.limits().memoryLimitMb(), 1e-9, "1.5 x the 200 MB history");
    assertEquals(60.0, plan.limits().timeoutSeconds());
    assertFalse(plan.refused());
    NewRun row = plan.row(plan.limits(), Mechanism.CGROUP_V1, "python3 step.py", "launcher");
    assertEquals(plan.runId(), row.runId());
    assertEquals("step.py", row.analysisId());
    assertEquals("enforce", row.mode());
    assertEquals(300.0, row.memoryLimitMb(), 1e-9);
    assertEquals("cgroup-v1", row.mechanism());
    assertEquals(T0, row.predictedAt(), "stamped by the injected clock");
    assertEquals(1, row.features().inputCount());
  }

  @Test
  void theRequestBoundsThePlanAndAnExecutorsOwnLimitsAreWhatItsRowRecords() {
    JobPlanner planner = new JobPlanner(withHistory(), new SizingPolicy(), 20_000, CLOCK);
    JobPlanner.Plan plan = planner.plan(job(), Mode.ENFORCE, StaticLimits.of(250.0, null),
        false);
    assertEquals(250.0, plan.limits().memoryLimitMb(), 1e-9);
    assertTrue(plan.limits().boundByRequest());
    NewRun row = plan.row(new Limits(4000.0, null, "predicted"), Mechanism.EXECUTOR, "E#run",
        "agent");
    assertEquals(4000.0, row.memoryLimitMb(), 1e-9, "what the executor really ran under");
    assertNull(row.timeoutSeconds());
    assertEquals("executor", row.mechanism());
  }

  @Test
  void aJobThatCannotFitIsRefusedUnlessForced() {
    JobPlanner small = new JobPlanner(withHistory(), new SizingPolicy(), 100, CLOCK);
    assertTrue(small.plan(job(), Mode.ENFORCE, StaticLimits.of(null, null), false).refused());
    assertFalse(small.plan(job(), Mode.ENFORCE, StaticLimits.of(null, null), true).refused());
    assertFalse(small.plan(job(), Mode.DRY_RUN, StaticLimits.of(null, null), false).refused());
  }

  @Test
  void outcomesAndExitCodesMapBothWays() {
    assertEquals(Outcome.OK, Outcomes.of(0, false, false, false));
    assertEquals(Outcome.FAILED, Outcomes.of(3, false, false, false));
    assertEquals(Outcome.TIMED_OUT, Outcomes.of(143, true, false, false));
    assertEquals(Outcome.OOM_KILLED, Outcomes.of(137, false, true, false));
    assertEquals(Outcome.INTERRUPTED, Outcomes.of(42, false, false, true));
    assertEquals(Outcome.TIMED_OUT, Outcomes.of(143, true, true, true), "Forge's own stop first");

    assertEquals(ExitCodes.TIMED_OUT, Outcomes.exitCode(Outcome.TIMED_OUT, 143));
    assertEquals(ExitCodes.MEMORY_CAP, Outcomes.exitCode(Outcome.OOM_KILLED, 137));
    assertEquals(ExitCodes.REFUSED, Outcomes.exitCode(Outcome.REJECTED, 0));
    assertEquals(42, Outcomes.exitCode(Outcome.INTERRUPTED, 42), "the job's own code");
    assertEquals(3, Outcomes.exitCode(Outcome.FAILED, 3));

    for (Outcome o : List.of(Outcome.OK, Outcome.FAILED, Outcome.TIMED_OUT,
        Outcome.OOM_KILLED)) {
      int code = Outcomes.exitCode(o, o == Outcome.OK ? 0 : 1);
      assertEquals(o, Outcomes.reported(code, false), "read back: " + o);
    }
    assertEquals(Outcome.OK, Outcomes.reported(null, false), "nothing reported");
    assertEquals(Outcome.FAILED, Outcomes.reported(0, true), "a thrown call");
  }
}
