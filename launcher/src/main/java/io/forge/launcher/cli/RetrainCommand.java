package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.service.ForgeModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch retrain --if-ready}: train only when the policy says so. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
    description = "Retrain when >= 100 settled runs exist and the model is absent, a week old,"
        + " or behind (the history grew by a quarter since, or 10 analyses ran for the first"
        + " time); prints why it did or did not.",
    footer = HelpFooters.STORE_FOOTER)
final class RetrainCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--if-ready", required = true,
      description = "apply the retrain policy (the only mode; required for clarity in timers)")
  boolean ifReady;

  @Option(names = "--json", description = "print the new model's metadata as JSON")
  boolean json;

  @Override
  public Integer call() {
    ForgeModel.RetrainResult result =
        parent.ingested().retrainIfReady(TrainCommand.progress(parent.err()));
    parent.err().println("forge: " + result.decision().reason());
    result.model().ifPresent(m -> TrainCommand.print(m, json, parent));
    return ExitCodes.OK;
  }
}
