package io.forge.launcher.cli;

import io.forge.launcher.batch.BatchJob;
import io.forge.launcher.batch.BatchRunner;
import io.forge.launcher.config.Settings;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.slurm.SbatchRequest;
import io.forge.launcher.slurm.Slurm;
import io.forge.launcher.slurm.SlurmBatch;
import io.forge.launcher.slurm.Submitter;
import io.forge.model.Json;
import io.forge.model.predict.Predictor;
import io.forge.model.snapshot.LaunchSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch batch FILE}: many commands at once, admitted by predicted memory. */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = {"Run many commands at once, admitted by their predicted caps.",
        "Runs the commands of FILE (one per line, or JSON lines such as {\"command\":"
            + " [\"python3\", \"x.py\"], \"analysis_id\": \"x\"}) concurrently, each admitted"
            + " when its predicted cap fits the host budget; a job killed by its cap is retried"
            + " once with double the cap. With --slurm, each command is submitted to Slurm as"
            + " forge-launch submit --wait does instead, its output in --logs."},
    footer = HelpFooters.BATCH_FOOTER)
final class BatchCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Parameters(index = "0", paramLabel = "FILE", description = "the batch file")
  Path file;

  @Option(names = "--budget-mb", paramLabel = "MB",
      description = "memory the batch may commit (default: the host budget)")
  Double budgetMb;

  @Option(names = "--cores", paramLabel = "N",
      description = "cores the batch may keep busy (default: this host's)")
  Double cores;

  @Option(names = "--slot-mb", paramLabel = "MB",
      description = "give every job this fixed slot instead of its predicted cap (the static"
          + " baseline)")
  Double slotMb;

  @Option(names = "--logs", paramLabel = "DIR",
      description = "where each job's stdout/stderr go (default: FORGE_HOME/batch-logs/<time>)")
  Path logs;

  @Option(names = "--json", description = "print the summary as JSON on stdout")
  boolean json;

  @Option(names = "--slurm", description = "submit each command to Slurm as forge-launch"
      + " submit --wait does, instead of running it here")
  boolean slurm;

  @Option(names = "--max-jobs", paramLabel = "N",
      description = "with --slurm: jobs in Slurm at once (default 10)")
  Integer maxJobs;

  /** With {@code --slurm}. */
  @Mixin SlurmOptions slurmOptions = new SlurmOptions();

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    List<BatchJob> jobs = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      BatchJob job = BatchJob.parse(i + 1, lines.get(i));
      if (job != null) {
        jobs.add(job);
      }
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no commands");
    }
    Settings settings = parent.settings();
    Path logDir = logs != null ? logs : settings.home().resolve("batch-logs")
        .resolve(settings.clock().instant().toString().replace(':', '-'));
    if (slurm) {
      return onSlurm(jobs, settings, logDir);
    }
    if (maxJobs != null || slurmOptions.given()) {
      throw new IllegalArgumentException("--max-jobs, --partition and --max-attempts go with"
          + " --slurm");
    }
    parent.ingested(); // the database and a current snapshot exist before the jobs start
    Predictor predictor = new Predictor(LaunchSource.loadOrEmpty(settings.home()),
        settings.clock());
    double budget = budgetMb != null ? budgetMb : settings.hostBudget().budgetMb();
    double cpus = cores != null ? cores : Runtime.getRuntime().availableProcessors();
    if (!(budget > 0) || !(cpus > 0) || (slotMb != null && !(slotMb > 0))) {
      throw new IllegalArgumentException("--budget-mb, --cores and --slot-mb must be > 0");
    }
    BatchRunner.Options options =
        new BatchRunner.Options(Launch.command(), budget, cpus, slotMb, logDir);
    JobPlanner planner = new JobPlanner(predictor, settings.policy(), budget, settings.clock());
    BatchRunner.Summary summary = new BatchRunner(planner, options,
        System.console() != null ? parent.err() : null).run(jobs);
    if (json) {
      parent.out().println(Json.write(summary.toJson()));
    } else {
      parent.out().println(summary.describe() + "; makespan "
          + Math.round(summary.makespanSeconds()) + " s ("
          + Math.round(summary.jobsPerHour()) + " jobs/h), peak committed "
          + Math.round(summary.peakCommittedMb()) + " MB; logs in " + logDir);
    }
    return summary.succeeded() == jobs.size() ? ExitCodes.OK : ExitCodes.SOME_JOBS_FAILED;
  }

  /** {@code --slurm}: each job submitted, followed and retried as {@code submit --wait}. */
  private int onSlurm(List<BatchJob> jobs, Settings settings, Path logDir) throws Exception {
    if (budgetMb != null || cores != null || slotMb != null) {
      throw new IllegalArgumentException("--budget-mb, --cores and --slot-mb size a batch on"
          + " this host; with --slurm, Slurm places the jobs");
    }
    int jobsAtOnce = maxJobs != null ? maxJobs : 10;
    int attempts = slurmOptions.attempts();
    if (jobsAtOnce < 1) {
      throw new IllegalArgumentException("--max-jobs must be >= 1");
    }
    Slurm cluster = new Slurm();
    Slurm.Partition target = cluster.partition(slurmOptions.partition);
    java.nio.file.Files.createDirectories(logDir);
    Path log = logDir.resolve("submit.log");
    SlurmBatch.Summary summary;
    try (java.io.PrintStream lines = new java.io.PrintStream(
        java.nio.file.Files.newOutputStream(log), true, java.nio.charset.StandardCharsets.UTF_8)) {
      summary = new SlurmBatch(cluster, SubmitCommand.planner(settings, target),
          SubmitCommand.orphans(parent), new Submitter.Options(null, slurmOptions.partition, null, target,
              attempts, true, SubmitCommand.nodeLauncher(parent, settings),
              settings.home().resolve("slurm"), SubmitCommand.POLL_MS),
          jobsAtOnce, logDir, lines, System.console() != null ? parent.err() : null)
          .run(jobs, Path.of("").toAbsolutePath());
    }
    if (json) {
      parent.out().println(Json.write(summary.toJson()));
    } else {
      parent.out().println(summary.describe() + "; each attempt in " + log);
    }
    return summary.succeeded() == jobs.size() ? ExitCodes.OK : ExitCodes.SOME_JOBS_FAILED;
  }
}
