package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.Json;
import io.forge.model.Target;
import io.forge.model.predict.Basis;
import io.forge.model.stats.StatsReport;
import io.forge.model.stats.TargetAccuracy;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch stats}: accuracy over the last N settled runs. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Accuracy over the last N settled runs: R² per target, counts, model version.",
    footer = HelpFooters.STORE_FOOTER)
final class StatsCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--last", paramLabel = "N", defaultValue = "200",
      description = "settled runs to evaluate (default 200)")
  int last;

  @Option(names = "--json", description = "print JSON on stdout (fields in the README)")
  boolean json;

  @Override
  public Integer call() {
    if (last < 1) {
      throw new IllegalArgumentException("--last must be >= 1");
    }
    StatsReport stats = parent.ingested().stats(last);
    if (json) {
      parent.out().println(Json.write(stats.toJson()));
      return ExitCodes.OK;
    }
    parent.out().printf(Locale.ROOT,
        "last %d settled runs: %d with a prediction; the model predicted %d of them, and the"
            + " %d that ran to completion are scored:%n", last, stats.settled().size(),
        stats.settledOn(Basis.MODEL), stats.runsEvaluated());
    if (stats.runsEvaluated() == 0) {
      parent.out().println("  (no run predicted by a trained model yet)");
    }
    for (Target t : stats.runsEvaluated() == 0 ? new Target[0] : Target.values()) {
      TargetAccuracy a = stats.accuracy().get(t);
      parent.out().printf(Locale.ROOT,
          "  %-13s R² %6.3f  R²(log) %6.3f  MdAPE %6.1f%%  interval coverage %5.1f%%%n",
          t.jsonName(), a.r2(), a.r2Log(), a.mdapePct(), 100 * a.intervalCoverage());
    }
    for (Basis b : new Basis[] {Basis.HISTORY, Basis.PRIOR}) {
      TargetAccuracy rss = stats.byBasis().get(b).get(Target.PEAK_RSS_MB);
      if (stats.settledOn(b) > 0) {
        parent.out().printf(Locale.ROOT, "  predicted from %s, without the model: %d runs"
                + " (peak RSS R²(log) %.3f, MdAPE %.1f%% over the %d completed)%n",
            b == Basis.HISTORY ? "their analysis's history" : "a prior", stats.settledOn(b),
            rss.r2Log(), rss.mdapePct(), rss.runs());
      }
    }
    parent.out().println("  outcomes: " + stats.outcomes());
    parent.out().println("  model: " + stats.model()
        .map(m -> "v" + m.version() + " trained " + m.trainedAt() + " on " + m.rowCount()
            + " runs")
        .orElse("none yet"));
    parent.out().println("  retrain: " + stats.retrain().reason());
    return ExitCodes.OK;
  }
}
