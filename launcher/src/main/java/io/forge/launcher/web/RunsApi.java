package io.forge.launcher.web;

import io.forge.launcher.config.Settings;
import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.run.Outcomes;
import io.forge.model.Job;
import io.forge.model.Outcome;
import io.forge.model.Plausible;
import io.forge.model.ScriptText;
import io.forge.model.Usage;
import io.forge.model.db.SpoolIngestion;
import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecord;
import io.forge.model.history.Settlement;
import io.forge.model.service.ForgeModel;
import io.forge.model.snapshot.ReloadingPredictor;
import io.forge.model.spool.Spool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON API's job endpoints: predict a job, plan and record a run (the client applies the
 * limits it is told), settle it. Every problem is an {@link ApiError} naming the field.
 */
final class RunsApi {

  /** The outcomes an executor may settle a run with (it ran, so it was not refused). */
  static final java.util.List<Outcome> SETTLED_OUTCOMES = java.util.List.of(Outcome.OK,
      Outcome.FAILED, Outcome.OOM_KILLED, Outcome.TIMED_OUT, Outcome.INTERRUPTED);

  private final ForgeModel forge;
  private final ReloadingPredictor predictor;
  private final Settings settings;

  /** What follows a delivery that stored runs (the server schedules a snapshot rebuild). */
  private final Runnable afterDelivery;

  RunsApi(ForgeModel forge, ReloadingPredictor predictor, Settings settings,
      Runnable afterDelivery) {
    this.afterDelivery = afterDelivery;
    this.forge = forge;
    this.predictor = predictor;
    this.settings = settings;
  }

  /** {@code POST …/predict}: the prediction object. */
  Map<String, Object> predict(JsonBody body) {
    return predictor.current().plan(job(body, false)).prediction().toJson();
  }

  private Job job(JsonBody body, boolean needsAnalysis) {
    String script = body.string("script_text", false);
    String runtime = body.string("runtime_name", true);
    String analysis = body.string("analysis_id", needsAnalysis);
    if (analysis != null && (analysis.isBlank() || analysis.length() > NewRun.MAX_ANALYSIS_ID)) {
      throw new ApiError(400, "analysis_id must be 1.." + NewRun.MAX_ANALYSIS_ID + " characters");
    }
    return new Job(analysis, runtime, ScriptText.of(script), body.sizes("input_sizes_mb"));
  }

  /** {@code POST …/runs}: plans and records a run; the decision to run it with. */
  Map<String, Object> record(JsonBody body) {
    Job job = job(body, true);
    String modeName = body.string("mode", false);
    Mode mode;
    try {
      mode = modeName == null ? settings.defaultMode() : Mode.parse(modeName);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, e.getMessage());
    }
    Double memory = body.number("memory_limit_mb", false, 1);
    Double timeout = body.number("timeout_seconds", false, 1);
    (memory == null ? Optional.<String>empty() : Plausible.memoryMb("memory_limit_mb", memory))
        .or(() -> timeout == null ? Optional.empty() : Plausible.seconds("timeout_seconds",
            timeout))
        .ifPresent(why -> {
          throw new ApiError(400, why);
        });
    StaticLimits request = StaticLimits.of(memory, timeout);
    JobPlanner.Plan plan = JobPlanner.of(predictor.current(), settings)
        .plan(job, mode, request, false);
    // The limits are the client's to apply: what it is told is what the row records.
    NewRun run = plan.row(plan.limits(), Mechanism.EXTERNAL, body.string("command", false),
        "api");
    if (plan.refused()) {
      forge.history().recordSettled(run,
          new Settlement(null, Outcome.REJECTED, null, settings.clock().instant()));
    } else {
      forge.history().record(run);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", plan.runId());
    out.put("prediction", plan.prediction().toJson());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mode", mode.cliName());
    d.putAll(plan.decision().toJson());
    out.put("decision", d);
    return out;
  }

  /** Most runs one delivery may carry. */
  static final int MAX_DELIVERED = 10_000;

  /**
   * {@code POST …/spool}: runs a node recorded in its spool and delivers, {@code {"runs":
   * [spool file text, …]}}, settled ones only. Stored as an ingestion stores them: a repeated
   * delivery changes nothing, so a node that lost the answer sends them again.
   */
  Map<String, Object> deliver(JsonBody body) {
    List<String> texts = body.strings("runs", MAX_DELIVERED);
    List<Spool.Entry> entries = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      Spool.Entry e;
      try {
        e = Spool.parse(texts.get(i));
      } catch (IllegalArgumentException bad) {
        throw new ApiError(400, "runs[" + i + "]: " + bad.getMessage());
      }
      if (e.settlement() == null) {
        throw new ApiError(400, "runs[" + i + "]: still running (deliver settled runs)");
      }
      entries.add(e);
    }
    SpoolIngestion.Result r = forge.history().deliver(entries, settings.clock().instant());
    if (r.ingested() > 0) {
      afterDelivery.run(); // the snapshot, rebuilt off the request's path
    }
    return Map.of("accepted", entries.size(), "stored", r.ingested(),
        "implausible", r.implausible());
  }

  /** {@code POST …/runs/{id}/settle}: settles a recorded run. */
  Map<String, Object> settle(String runId, JsonBody body) {
    double cpu = body.number("cpu_seconds", true, 0);
    double rss = body.number("peak_rss_mb", true, 0);
    double wall = body.number("wall_seconds", true, 0);
    Plausible.usage(cpu, rss, wall).ifPresent(why -> {
      throw new ApiError(400, why + ": no job can have used that");
    });
    Usage actual = new Usage(cpu, rss, wall);
    Integer exitCode = body.integer("exit_code");
    String outcomeName = body.string("outcome", false);
    Outcome outcome;
    if (outcomeName == null) {
      outcome = Outcomes.reported(exitCode, false);
    } else {
      outcome = SETTLED_OUTCOMES.stream().filter(o -> o.dbName().equals(outcomeName))
          .findFirst().orElseThrow(() -> new ApiError(400, "outcome must be one of "
              + SETTLED_OUTCOMES.stream().map(Outcome::dbName).toList()));
    }
    Optional<RunRecord> row = forge.history().queries().find(runId);
    if (row.isEmpty()) {
      throw new ApiError(404, "no recorded run " + runId + " (record it with POST "
          + DashboardServer.API
          + "/runs first)");
    }
    if (row.get().outcome() != Outcome.RUNNING && row.get().outcome() != Outcome.ABANDONED
        || !forge.history().settle(runId, new Settlement(actual, outcome, exitCode,
            settings.clock().instant()))) {
      // Of concurrent settles of one run, the database lets exactly one through.
      throw new ApiError(409, "run " + runId + " is already settled as "
          + forge.history().queries().find(runId).map(r -> r.outcome().dbName())
              .orElse(row.get().outcome().dbName()));
    }
    forge.refreshSnapshot();
    return Map.of("run_id", runId, "outcome", outcome.dbName());
  }

}
