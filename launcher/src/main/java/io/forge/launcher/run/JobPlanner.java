package io.forge.launcher.run;

import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.config.Settings;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingDecision;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.Job;
import io.forge.model.history.NewRun;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.Predictor;
import java.time.Clock;
import java.time.Instant;

/**
 * The first half of every job's life, the same for all who run one (the launcher, the agent's
 * calls and processes, the API, {@code batch}): predict it, decide its limits with the one
 * sizing policy, and make the row that records it.
 */
public final class JobPlanner {

  private final Predictor predictor;
  private final SizingPolicy policy;
  private final double hostBudgetMb;
  private final String budgetName;
  private final Clock clock;

  /** A planner predicting with {@code predictor}, sizing with the settings' policy and host. */
  public static JobPlanner of(Predictor predictor, Settings settings) {
    return new JobPlanner(predictor, settings.policy(), settings.hostBudget().budgetMb(),
        settings.clock());
  }

  /** A planner predicting with {@code predictor}, sizing with {@code policy}. */
  public JobPlanner(Predictor predictor, SizingPolicy policy, double hostBudgetMb, Clock clock) {
    this(predictor, policy, hostBudgetMb, SizingPolicy.HOST_BUDGET, clock);
  }

  /**
   * A planner sizing within a budget that is not this host's: {@code budgetName} names it in
   * the notes (the largest node of a Slurm partition, for {@code submit}).
   */
  public JobPlanner(Predictor predictor, SizingPolicy policy, double budgetMb,
      String budgetName, Clock clock) {
    this.predictor = predictor;
    this.policy = policy;
    this.hostBudgetMb = budgetMb;
    this.budgetName = budgetName;
    this.clock = clock;
  }

  /**
   * One planned job.
   *
   * @param runId the id its row will carry
   * @param planned its prediction and the features it was made from
   * @param mode the sizing mode
   * @param decision the limits (or the refusal) the policy decided
   * @param predictedAt when it was planned
   */
  public record Plan(String runId, Predictor.Planned planned, Mode mode,
      SizingDecision decision, Instant predictedAt) {

    /** The job. */
    public Job job() {
      return planned.job();
    }

    /** The prediction. */
    public Prediction prediction() {
      return planned.prediction();
    }

    /** The limits decided (none when refused). */
    public Limits limits() {
      return decision.limits();
    }

    /** Whether the job must not start. */
    public boolean refused() {
      return decision.refused();
    }

    /**
     * The row recording this job.
     *
     * @param applied the limits it really runs under (an executor may have kept its own)
     * @param mechanism what enforces them
     * @param command its command line, or what started it, for people reading the history
     * @param source who records it: {@code launcher}, {@code agent}, {@code api}
     */
    public NewRun row(Limits applied, Mechanism mechanism, String command, String source) {
      return new NewRun(runId, planned.job().analysisId(), planned.features(),
          planned.prediction(), mode.cliName(), applied.memoryLimitMb(),
          applied.timeoutSeconds(), mechanism.cliName(), command, source, null, null,
          predictedAt);
    }
  }

  /**
   * Plans a job: predicts it and decides its limits.
   *
   * @param request the user's own limits (static in deterministic mode, upper bounds in
   *     enforce)
   * @param force run even when the job would be refused
   */
  public Plan plan(Job job, Mode mode, StaticLimits request, boolean force) {
    Predictor.Planned planned = predictor.plan(job);
    SizingDecision decision = policy.decide(mode, planned.prediction(), planned.evidence(),
        hostBudgetMb, budgetName, request, force);
    return new Plan(NewRun.newRunId(), planned, mode, decision, clock.instant());
  }

  /**
   * Plans a job whose limits were already decided elsewhere — by {@code submit}, which sized
   * the Slurm allocation it now runs in: predicts it (for the row) and keeps those limits and
   * that run id, so the allocation, the cap and the recorded row agree.
   *
   * @param runId the id {@code submit} gave the job (its Slurm comment carries it)
   */
  public Plan given(Job job, String runId, Limits limits) {
    if (!NewRun.isRunId(runId)) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    return new Plan(runId, predictor.plan(job), Mode.ENFORCE,
        new SizingDecision(false, limits, null), clock.instant());
  }
}
