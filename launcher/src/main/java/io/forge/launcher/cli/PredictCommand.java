package io.forge.launcher.cli;

import io.forge.launcher.config.Settings;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingDecision;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.JobPlanner;
import io.forge.model.Job;
import io.forge.model.Json;
import io.forge.model.ScriptText;
import io.forge.model.predict.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch predict --script FILE …}: the prediction, nothing run. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict a job's CPU-seconds, peak RSS and wall time without running it.",
    footer = HelpFooters.PREDICT_FOOTER)
final class PredictCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--script", required = true, paramLabel = "FILE", description = "the script")
  Path script;

  @Option(names = "--runtime", paramLabel = "NAME",
      description = "runtime (default: from the file extension)")
  String runtime;

  @Option(names = "--input", paramLabel = "PATH", description = "input file or folder (repeatable)")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--analysis-id", paramLabel = "ID",
      description = "analysis id (default: the script's file name)")
  String analysisId;

  @Option(names = "--json", description = "print JSON on stdout")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("--script " + script + ": no such file");
    }
    List<Double> sizes = new ArrayList<>();
    for (Path p : inputs) {
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("--input " + p + ": no such file or folder");
      }
      sizes.add(io.forge.launcher.job.CommandParser.sizeMb(p));
    }
    String name = script.getFileName().toString();
    String rt = runtime != null ? runtime : io.forge.model.Runtimes.ofScriptName(name);
    Job job = new Job(analysisId != null ? analysisId : name, rt, ScriptText.read(script), sizes);
    Settings settings = parent.settings();
    // Planned as `run --mode enforce` would plan it: the prediction and the limits it gets.
    JobPlanner.Plan plan = JobPlanner.of(parent.ingested().predictor(), settings)
        .plan(job, Mode.ENFORCE, StaticLimits.of(null, null), false);
    Prediction p = plan.prediction();
    SizingDecision enforce = plan.decision();
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>(p.toJson());
      out.put("enforce", enforce.toJson());
      parent.out().println(Json.write(out));
    } else {
      parent.out().printf(Locale.ROOT,
          "%s (%s): cpu %.1f s [%.1f–%.1f] · peak rss %.0f MB [%.0f–%.0f] · wall %.1f s"
              + " [%.1f–%.1f] · confidence %.2f · basis %s%s%n",
          job.analysisId(), job.runtime(), p.cpuSeconds(), p.cpuInterval().low(),
          p.cpuInterval().high(), p.peakRssMb(), p.rssInterval().low(), p.rssInterval().high(),
          p.wallSeconds(), p.wallInterval().low(), p.wallInterval().high(), p.confidence(),
          p.basis().jsonName(), p.modelVersion() == null ? "" : " v" + p.modelVersion());
      Limits l = enforce.limits();
      parent.out().println(enforce.refused() ? "enforce would refuse it: " + enforce.note()
          : String.format(Locale.ROOT, "enforce would set: cap %.0f MB, timeout %.0f s%s",
              l.memoryLimitMb(), l.timeoutSeconds(), l.source().equals("static")
                  ? " (the static limits: no run of this analysis or its tool to size it from)"
                  : enforce.note() == null ? "" : " (" + enforce.note() + ")"));
    }
    return ExitCodes.OK;
  }
}
