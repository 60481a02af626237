package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.RunReport;
import io.forge.model.Json;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.RunRecord;
import io.forge.model.predict.Prediction;
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
    footer = HelpFooters.STORE_FOOTER)
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
    List<RunRecord> rows = parent.ingested().history().queries().history(limit);
    if (json) {
      List<Object> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.toJson()));
      parent.out().println(Json.write(out));
      return ExitCodes.OK;
    }
    String row = "%-19s %-24s %-7s %-13s %8s %9s %9s %9s %9s %8s %8s  %s%n";
    parent.out().printf(Locale.ROOT, row, "predicted_at", "analysis_id", "runtime", "mode",
        "cap_mb", "pred_cpu", "cpu", "pred_rss", "rss_mb", "pred_wall", "wall", "outcome");
    for (RunRecord r : rows) {
      Prediction p = r.prediction();
      Usage a = r.actual();
      boolean unmeasured = a == null && r.outcome() != Outcome.REJECTED
          && r.outcome() != Outcome.RUNNING && r.outcome() != Outcome.ABANDONED;
      parent.out().printf(Locale.ROOT, row,
          r.predictedAt().toString().substring(0, 19), truncate(r.analysisId(), 24),
          r.runtime(), r.mode(),
          r.memoryLimitMb() == null ? "-" : Long.toString(Math.round(r.memoryLimitMb())),
          p == null ? "-" : RunReport.seconds(p.cpuSeconds()),
          a == null ? "-" : RunReport.seconds(a.cpuSeconds()),
          p == null ? "-" : Long.toString(Math.round(p.peakRssMb())),
          a == null ? "-" : Long.toString(Math.round(a.peakRssMb())),
          p == null ? "-" : RunReport.seconds(p.wallSeconds()),
          a == null ? "-" : RunReport.seconds(a.wallSeconds()),
          r.outcome().dbName() + (unmeasured ? " (unmeasured)" : ""));
    }
    return ExitCodes.OK;
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
