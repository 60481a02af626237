package io.forge.launcher.cli;

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
    footer = ExitCodes.HELP_FOOTER)
final class TrainCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--json", description = "print the new model's metadata as JSON")
  boolean json;

  @Override
  public Integer call() {
    TrainedModel model = parent.forge().train(Progress.on(parent.err()));
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
          + model.info().rowCount() + " runs; hold-out: " + Json.write(model.info().holdout()));
    }
  }

  /** Progress of training on stderr: one updating line on a terminal, nothing otherwise. */
  static final class Progress {
    private Progress() {}

    static Trainer.Progress on(java.io.PrintStream err) {
      if (System.console() == null) {
        return Trainer.Progress.none();
      }
      return (done, total, what) ->
          err.print("\rforge: training " + done + "/" + total + " " + what
              + (done == total ? "\n" : "          "));
    }
  }
}
