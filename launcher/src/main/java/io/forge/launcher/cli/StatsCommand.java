package io.forge.launcher.cli;

import io.forge.model.Json;
import io.forge.model.Target;
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
    footer = ExitCodes.HELP_FOOTER)
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
    StatsReport stats = parent.forge().stats(last);
    if (json) {
      parent.out().println(Json.write(stats.toJson()));
      return ExitCodes.OK;
    }
    parent.out().printf(Locale.ROOT,
        "last %d settled runs: %d with a prediction, %d of them ran to completion and are"
            + " scored%n", last, stats.settled().size(), stats.runsEvaluated());
    for (Target t : Target.values()) {
      TargetAccuracy a = stats.accuracy().get(t);
      parent.out().printf(Locale.ROOT,
          "  %-13s R² %6.3f  R²(log) %6.3f  MdAPE %6.1f%%  interval coverage %5.1f%%%n",
          t.jsonName(), a.r2(), a.r2Log(), a.mdapePct(), 100 * a.intervalCoverage());
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
