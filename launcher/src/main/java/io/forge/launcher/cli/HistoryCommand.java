package io.forge.launcher.cli;

import io.forge.model.Json;
import io.forge.model.store.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch history}: recent runs, predicted beside actual. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Recent runs, newest first: predicted beside actual, outcome.",
    footer = ExitCodes.HELP_FOOTER)
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "runs to show (default 20)")
  int limit;

  @Option(names = "--json", description = "print a JSON array of rows (column names as keys)")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1");
    }
    parent.forge().history().markAbandoned(Instant.now());
    List<RunRecord> rows = parent.forge().history().history(limit);
    if (json) {
      List<Object> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.toJson()));
      parent.out().println(Json.write(out));
      return ExitCodes.OK;
    }
    parent.out().printf(Locale.ROOT, "%-20s %-24s %-8s %12s %12s %10s %10s %-10s%n",
        "predicted_at", "analysis_id", "runtime", "pred_rss_mb", "actual_rss_mb", "pred_wall",
        "wall", "outcome");
    for (RunRecord r : rows) {
      parent.out().printf(Locale.ROOT, "%-20s %-24s %-8s %12s %12s %10s %10s %-10s%n",
          r.predictedAt().toString().substring(0, 19), truncate(r.analysisId(), 24), r.runtime(),
          r.prediction() == null ? "-" : String.format(Locale.ROOT, "%.0f",
              r.prediction().peakRssMb()),
          r.actual() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.actual().peakRssMb()),
          r.prediction() == null ? "-" : String.format(Locale.ROOT, "%.1f",
              r.prediction().wallSeconds()),
          r.actual() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.actual().wallSeconds()),
          r.outcome().dbName());
    }
    return ExitCodes.OK;
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
