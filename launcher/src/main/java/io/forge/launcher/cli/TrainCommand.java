package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.Json;
import io.forge.model.predict.TrainedModel;
import io.forge.model.train.Trainer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch train}: train now on every measured run. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a new model version now on every measured run.",
    footer = HelpFooters.STORE_FOOTER)
final class TrainCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--json", description = "print the new model's metadata as JSON")
  boolean json;

  @Override
  public Integer call() {
    TrainedModel model = parent.ingested().train(progress(parent.err()));
    print(model, json, parent);
    return ExitCodes.OK;
  }

  static void print(TrainedModel model, boolean json, ForgeLaunch parent) {
    if (json) {
      parent.out().println(Json.write(Map.of(
          "version", model.info().version(),
          "trained_at", model.info().trainedAt().toString(),
          "row_count", model.info().rowCount(),
          "holdout", model.info().holdout())));
    } else {
      parent.out().println("trained model v" + model.info().version() + " on "
          + model.info().rowCount() + " runs; on the held-out runs it did not train on:");
      parent.out().printf(java.util.Locale.ROOT, "  %-14s %6s %8s %8s %10s%n", "target", "runs",
          "R²", "R² log", "σ (log)");
      for (io.forge.model.Target t : io.forge.model.Target.values()) {
        if (model.info().holdout().get(t.jsonName()) instanceof Map<?, ?> m) {
          parent.out().printf(java.util.Locale.ROOT, "  %-14s %6s %8s %8s %10s%n", t.jsonName(),
              m.get("rows"), figure(m.get("r2")), figure(m.get("r2_log")),
              figure(m.get("sigma_log")));
        }
      }
    }
  }

  /** Three decimals, or {@code n/a} for an undefined figure. */
  private static String figure(Object v) {
    return v instanceof Number n && Double.isFinite(n.doubleValue())
        ? String.format(java.util.Locale.ROOT, "%.3f", n.doubleValue()) : "n/a";
  }

  /** Training progress on a terminal (see {@link TerminalProgress}). */
  static Trainer.Progress progress(java.io.PrintStream err) {
    TerminalProgress line = TerminalProgress.on(err);
    return (done, total, what) -> {
      line.show("training " + done + "/" + total + " " + what);
      if (done == total) {
        line.end();
      }
    };
  }
}
