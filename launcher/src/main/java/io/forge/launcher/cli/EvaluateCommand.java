package io.forge.launcher.cli;

import io.forge.launcher.eval.Evaluation;
import io.forge.launcher.run.ExitCodes;
import io.forge.model.Json;
import io.forge.model.history.RunRecord;
import io.forge.model.service.ForgeModel;
import io.forge.model.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch evaluate}: honest, time-ordered evaluation of prediction and sizing. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
    description = "Replay the history, each run sized by Forge and by baselines that all know"
        + " exactly the same earlier runs; report accuracy and the memory-sizing outcome.",
    footer = HelpFooters.STORE_FOOTER)
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--protocol", defaultValue = "live", paramLabel = "P",
      description = "live (default: a policy knows the runs completed before a run was"
          + " submitted) or paper (sequential, the literature's setup)")
  String protocol;

  @Option(names = "--holdout-label", paramLabel = "NAME",
      description = "replay this label's runs as a workflow never seen, after all others")
  String holdoutLabel;

  @Option(names = "--retrain-every", defaultValue = "2000", paramLabel = "N",
      description = "runs between retrains (default 2000)")
  int retrainEvery;

  @Option(names = "--static-mb", defaultValue = "8192", paramLabel = "MB",
      description = "the static-cap baseline (default 8192)")
  double staticMb;

  @Option(names = "--targets", defaultValue = "0.005,0.01,0.02,0.05,0.1", split = ",",
      paramLabel = "RATE", description = "target first-attempt failure rates for Forge's"
          + " wastage/failure trade-off (default 0.005,0.01,0.02,0.05,0.1)")
  List<Double> targets = new ArrayList<>();

  @Option(names = "--label", paramLabel = "NAME", description = "only runs with this label")
  String label;

  @Option(names = "--json", description = "print the report as JSON on stdout")
  boolean json;

  @Override
  public Integer call() {
    if (label != null && holdoutLabel != null) {
      throw new IllegalArgumentException("--label and --holdout-label exclude each other");
    }
    Evaluation.Settings settings = new Evaluation.Settings(protocol, retrainEvery, staticMb,
        targets, holdoutLabel, Trainer.Settings.defaults());
    ForgeModel forge = parent.ingested();
    List<RunRecord> runs = new ArrayList<>();
    for (RunRecord r : forge.history().queries().measuredRuns()) {
      if (label == null || label.equals(r.label())) {
        runs.add(r);
      }
    }
    if (runs.size() <= Trainer.MIN_ROWS) {
      throw new IllegalArgumentException("evaluation needs more than " + Trainer.MIN_ROWS
          + " measured runs, have " + runs.size());
    }
    TerminalProgress line = TerminalProgress.on(parent.err());
    Map<String, Object> report = Evaluation.run(runs, settings,
        (done, total, what) -> line.show("evaluating " + done + "/" + total + " " + what),
        parent.settings().clock());
    line.end();
    if (json) {
      parent.out().println(Json.write(report));
    } else {
      print(report, parent.out());
    }
    return ExitCodes.OK;
  }

  @SuppressWarnings("unchecked")
  private static void print(Map<String, Object> report, java.io.PrintStream out) {
    Map<String, Object> cost = (Map<String, Object>) report.get("decision_us");
    out.printf(Locale.ROOT, "protocol %s%s: %s of %s runs evaluated, %s retrains%s%n",
        report.get("protocol"),
        report.containsKey("holdout_label") ? ", holding out " + report.get("holdout_label") : "",
        report.get("runs_evaluated"), report.get("runs_total"), report.get("retrains"),
        cost.isEmpty() ? "" : "; one sizing decision " + cost.get("mean") + " µs (p99 "
            + cost.get("p99") + ")");
    Map<String, Object> groups = new java.util.LinkedHashMap<>();
    groups.put("overall", report.get("overall"));
    groups.putAll((Map<String, Object>) report.get("groups"));
    out.printf(Locale.ROOT, "%-14s %6s %8s %8s %8s %10s %10s %10s %10s %10s%n", "group",
        "runs", "R²log", "MdAPE%", "cover", "forge GBh", "requested", "static", "max_hist",
        "witt_lr");
    groups.forEach((name, value) -> {
      Map<String, Object> g = (Map<String, Object>) value;
      Map<String, Object> rss = (Map<String, Object>) ((Map<String, Object>) g.get("targets"))
          .get("peak_rss_mb");
      Map<String, Object> sizing = (Map<String, Object>) g.get("sizing");
      out.printf(Locale.ROOT, "%-14s %6s %8s %8s %8s %10s %10s %10s %10s %10s%n", name,
          g.get("runs"), rss.get("r2_log"), rss.get("mdape_pct"), rss.get("interval_coverage"),
          cell(sizing, "forge"), cell(sizing, "requested"), cell(sizing, "static"),
          cell(sizing, "max_history"), cell(sizing, "witt_lr"));
    });
  }

  @SuppressWarnings("unchecked")
  private static String cell(Map<String, Object> sizing, String policy) {
    Map<String, Object> s = (Map<String, Object>) sizing.get(policy);
    return s == null ? "-" : s.get("wastage_gbh") + "/" + s.get("first_attempt_failures");
  }
}
