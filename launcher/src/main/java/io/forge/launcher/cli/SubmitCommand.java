package io.forge.launcher.cli;

import io.forge.launcher.config.Settings;
import io.forge.launcher.job.CommandParser;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.slurm.SbatchRequest;
import io.forge.launcher.slurm.Slurm;
import io.forge.launcher.slurm.Submitted;
import io.forge.launcher.slurm.Submitter;
import io.forge.launcher.slurm.Attempt;
import io.forge.model.Json;
import io.forge.model.history.Settlement;
import io.forge.model.predict.Predictor;
import io.forge.model.snapshot.LaunchSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch submit [options] [-- SBATCH_OPTION…] -- CMD ARGS…}. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    customSynopsis = "forge-launch submit [OPTIONS] [-- SBATCH_OPTIONS...] -- CMD [ARGS...]",
    description = {"Submit a command to Slurm, sized by Forge.",
        "Predicts the job as a launch does and calls sbatch with --mem (the cap enforce would"
            + " set, plus 64 MB for the launcher), --time (the timeout plus a minute), a job"
            + " name and a comment carrying the run id. Inside the allocation the command runs"
            + " through forge-launch, capped, measured and recorded as a launch. Your own"
            + " sbatch options win; your --mem is an upper bound. Memory kills and timeouts are"
            + " resubmitted larger, preemption and node failure unchanged, up to --max-attempts:"
            + " by this command with --wait, else by a follower it leaves in the background."
            + " Forge's jar and FORGE_HOME must be on a file system the nodes share (each"
            + " job's report comes back through it); FORGE_DB_URL shares the history beyond."
            + " Each submitted job's id is printed on stdout (one line per attempt); the job's"
            + " output goes where sbatch puts it (slurm-JOBID.out unless you say -o). Jobs are"
            + " always sized (enforce): FORGE_MODE is for local launches."},
    footer = HelpFooters.SUBMIT_FOOTER)
final class SubmitCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Mixin SlurmOptions slurmOptions = new SlurmOptions();

  @Option(names = "--cpus", paramLabel = "N", description = "CPUs per task (sbatch -c)")
  Integer cpus;

  @Option(names = "--wait", description = "follow the job, resubmit it while that helps, and"
      + " exit with its own code")
  boolean waitForIt;

  @Option(names = "--analysis-id", paramLabel = "ID",
      description = "analysis id (default: the script's file name)")
  String analysisId;

  @Option(names = "--input", paramLabel = "PATH",
      description = "input file or folder (repeatable; default: existing paths among the args)")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--json", description = "print the attempts as JSON on stdout")
  boolean json;

  @Option(names = "--quiet", description = "no line per attempt on stderr")
  boolean quiet;

  /** Set on the background follower a {@code submit} without {@code --wait} starts. */
  @Option(names = "--follow", paramLabel = "JOB", hidden = true,
      description = "follow this submitted first attempt (JOBID:RUNID:CAP_MB:TIMEOUT_S)")
  String follow;

  @Parameters(paramLabel = "ARGS", arity = "0..*",
      description = "after --: your sbatch options, if any, then -- and the command")
  List<String> words = new ArrayList<>();

  /** How often the controller is asked about a followed job, ms. */
  static final long POLL_MS = 2000;

  @Override
  public Integer call() throws Exception {
    // After the first --: sbatch options (they start with a dash) up to a second --, then the
    // command, which never starts with one.
    List<String> sbatch = List.of();
    List<String> command = words;
    if (!words.isEmpty() && words.get(0).startsWith("-")) {
      int dashes = words.indexOf("--");
      if (dashes < 0) {
        new SbatchRequest(words); // names a command word among the options, if there is one
        throw new IllegalArgumentException("no command after the sbatch options; usage:"
            + " forge-launch submit [OPTIONS] -- SBATCH_OPTIONS... -- CMD ARGS...");
      }
      sbatch = words.subList(0, dashes);
      command = words.subList(dashes + 1, words.size());
    }
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to submit; usage: forge-launch submit"
          + " [OPTIONS] -- CMD ARGS...");
    }
    if (cpus != null && cpus < 1) {
      throw new IllegalArgumentException("--cpus must be >= 1");
    }
    String partition = slurmOptions.partition;
    int maxAttempts = slurmOptions.attempts();
    SbatchRequest request = new SbatchRequest(sbatch);
    Settings settings = parent.settings();
    Path cwd = Path.of("").toAbsolutePath();
    JobSpec spec = CommandParser.parse(command,
        new CommandParser.Overrides(analysisId, null, inputs), cwd);
    Slurm slurm = new Slurm();
    Slurm.Partition target = slurm.partition(request.partition(partition));
    request.checkTimeWithin(target.maxTimeS().isPresent() ? target.maxTimeS().getAsDouble()
        : null, target.name());
    Path dir = settings.home().resolve("slurm");
    Submitter.Options how = new Submitter.Options(
        Submitter.jobName(spec.job().analysisId()), partition, cpus, target, maxAttempts,
        waitForIt || follow != null, nodeLauncher(parent, settings), dir, POLL_MS);
    Submitter submitter = new Submitter(slurm, planner(settings, target), request, how,
        json ? Submitter.NOWHERE : parent.out(), quiet ? null : parent.err(), orphans(parent));
    Double memoryBound = request.memoryBoundMb(cpus != null ? cpus : 1);
    Double timeoutBound = request.timeoutBoundS();
    // A --wait stopped by a signal (Ctrl-C) leaves its job running: a follower takes it on.
    List<String> options = sbatch;
    List<String> cmd = command;
    Thread handOver = new Thread(() -> {
      Submitter.InFlight current = submitter.inFlight();
      if (current != null) {
        handOver(current.job(), spec.job().analysisId(), options, cmd, dir,
            maxAttempts - current.number() + 1, "interrupted; ");
      }
    }, "forge-hand-over");
    Runtime.getRuntime().addShutdownHook(handOver);
    Submitter.Result result;
    try {
      result = follow != null
          ? submitter.follow(spec, memoryBound, timeoutBound, Submitted.parse(follow))
          : submitter.submit(spec, memoryBound, timeoutBound);
    } finally {
      Runtime.getRuntime().removeShutdownHook(handOver);
    }
    if (!waitForIt && follow == null && result.attempts().size() == 1) {
      Attempt first = result.attempts().get(0);
      handOver(new Submitted(first.jobId(), first.runId(), first.sizing()),
          spec.job().analysisId(), sbatch, command, dir, maxAttempts, "");
    }
    if (json) {
      parent.out().println(Json.write(result.toJson()));
    }
    return result.exitCode();
  }

  /** Starts a follower for {@code job} and says so, in one line. */
  private void handOver(Submitted job, String analysis, List<String> sbatch,
      List<String> command, Path dir, int attempts, String why) {
    Path log = dir.resolve(job.runId() + ".log");
    try {
      startFollower(job, analysis, sbatch, command, log, attempts);
    } catch (java.io.IOException e) {
      parent.err().println("forge: " + why + "job " + job.jobId() + " goes on, unfollowed:"
          + " cannot start its follower: " + ForgeLaunch.oneLine(e));
      return;
    }
    if (!quiet || !why.isEmpty()) {
      parent.err().println("forge: " + why + "job " + job.jobId() + " is followed in the"
          + " background" + (attempts > 1 ? " and resubmitted if its cap or time runs out" : "")
          + " (log: " + log + ")");
    }
  }

  /**
   * Starts the process that follows an attempt to its end and resubmits it while that helps:
   * this command again, with {@code --follow}, in its own session (a closed terminal does not
   * stop it), its lines in {@code log}.
   */
  private void startFollower(Submitted first, String analysis, List<String> sbatch,
      List<String> command, Path log, int attempts) throws java.io.IOException {
    List<String> args = new ArrayList<>();
    if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      args.add("/usr/bin/setsid");
    }
    args.addAll(Launch.command());
    args.addAll(List.of("submit", "--follow", first.toString(), "--max-attempts",
        Integer.toString(attempts), "--analysis-id", analysis));
    if (slurmOptions.partition != null) {
      args.addAll(List.of("--partition", slurmOptions.partition));
    }
    if (cpus != null) {
      args.addAll(List.of("--cpus", cpus.toString()));
    }
    for (Path input : inputs) {
      args.addAll(List.of("--input", input.toAbsolutePath().toString()));
    }
    args.add("--");
    if (!sbatch.isEmpty()) {
      args.addAll(sbatch);
      args.add("--");
    }
    args.addAll(command);
    Launch.detach(args, log);
  }

  /**
   * How a job's batch script starts {@code forge-launch} on its node: with this host's {@code
   * FORGE_HOME} (and {@code FORGE_SERVER}, and where Forge unpacks its libraries, {@code
   * XDG_CACHE_HOME}) set in the script itself, so that a job submitted
   * with {@code --export=NONE} (or a site's {@code SBATCH_EXPORT}) still records in this
   * history. Database credentials are not written there (sbatch keeps the script): such a job
   * needs them from its node's own environment.
   */
  static List<String> nodeLauncher(ForgeLaunch parent, Settings settings) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/env",
        "FORGE_HOME=" + settings.home().toAbsolutePath()));
    for (String name : List.of("FORGE_SERVER", "XDG_CACHE_HOME")) {
      String value = parent.env().get(name);
      if (value != null && !value.isBlank()) {
        command.add(name + "=" + value.trim());
      }
    }
    command.addAll(Launch.command());
    return command;
  }

  /**
   * The planner of {@code submit} and {@code batch --slurm}: sizing within the partition's
   * budget, predicting from this home's snapshot, read once, and its spool, rescanned as the
   * attempts settle there ({@link LaunchSource#longLived}).
   */
  static JobPlanner planner(Settings settings, Slurm.Partition target) {
    return new JobPlanner(new Predictor(LaunchSource.loadOrEmpty(settings.home()).longLived(),
        settings.clock()), settings.policy(), target.jobBudgetMb(), "the largest node of partition "
            + target.name() + " less " + Math.round(SbatchRequest.LAUNCHER_MB)
            + " MB for its launcher", settings.clock());
  }

  /**
   * Settles in the store the run of an attempt whose launcher Slurm killed before it could
   * (see {@link io.forge.launcher.slurm.Retries#orphan}). Where the nodes record through
   * {@code FORGE_SERVER}, or the run never reached a store this host reads, it is left to be
   * declared abandoned.
   */
  static BiConsumer<String, Settlement> orphans(ForgeLaunch parent) {
    String server = parent.env().get("FORGE_SERVER");
    return (runId, settlement) -> {
      if (server != null && !server.isBlank()) {
        return;
      }
      synchronized (parent) {
        try {
          var history = parent.ingested().history();
          if (history.queries().find(runId).isPresent()) { // else never recorded where seen
            history.settle(runId, settlement);
          }
        } catch (RuntimeException e) {
          parent.err().println("forge: run " + runId + " stays running in the history: "
              + ForgeLaunch.oneLine(e));
        }
      }
    };
  }
}
