package io.forge.launcher.cli;

import io.forge.launcher.config.Settings;
import io.forge.launcher.job.CommandParser;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.job.Programs;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.run.JobRunner;
import io.forge.launcher.run.RunReport;
import io.forge.model.Json;
import io.forge.model.db.Patience;
import io.forge.model.predict.Predictor;
import io.forge.model.service.ForgeModel;
import io.forge.model.snapshot.LaunchSource;
import io.forge.model.spool.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch [run] [options] -- CMD ARGS…}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Wrap a command: predict, size, run, measure and record it.",
    footer = HelpFooters.RUN_FOOTER)
final class RunCommand implements Callable<Integer> {

  @ParentCommand ForgeLaunch parent;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "dry-run (default, or FORGE_MODE), enforce, deterministic")
  String mode;

  @Option(names = "--analysis-id", paramLabel = "ID",
      description = "analysis id (default: the script's file name)")
  String analysisId;

  @Option(names = "--runtime", paramLabel = "NAME",
      description = "runtime name (default: from the interpreter)")
  String runtime;

  @Option(names = "--input", paramLabel = "PATH",
      description = "input file or folder (repeatable; default: existing paths among the args)")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--memory-limit-mb", paramLabel = "N",
      description = "your memory limit: the cap in deterministic mode (default 8192, never"
          + " above the host budget), an upper bound on the predicted cap in enforce")
  Double memoryLimitMb;

  @Option(names = "--timeout-s", paramLabel = "N",
      description = "your timeout: the timeout in deterministic mode (default 86400), an upper"
          + " bound on the predicted one in enforce")
  Double timeoutS;

  @Option(names = "--force", description = "run even when the job would be refused")
  boolean force;

  @Option(names = "--json-report", paramLabel = "FILE", description = "write the run's JSON report")
  Path jsonReport;

  @Option(names = "--quiet", description = "no summary line")
  boolean quiet;

  /** Set by {@code submit}'s batch script: the job's run id, its limits then exact. */
  @Option(names = "--run-id", paramLabel = "ID", hidden = true,
      description = "the run id submit gave this job; it runs under exactly"
          + " --memory-limit-mb and --timeout-s")
  String runId;

  @Parameters(paramLabel = "CMD", arity = "0..*", description = "the command, after --")
  List<String> command = new ArrayList<>();

  /** Spooled runs after which a launch moves them into the embedded database itself. */
  static final int INGEST_AT_SPOOL_SIZE = 100;

  /** How long a launch whose job has ended gives a server database to take its run, ms. */
  static final long DELIVERY_BUDGET_MS = 1000;

  @Override
  public Integer call() throws IOException {
    if (command.isEmpty()) {
      throw new IllegalArgumentException(
          "no command to run; usage: forge-launch [options] -- CMD ARGS...");
    }
    Path cwd = Path.of("").toAbsolutePath();
    Path program = Programs.find(command.get(0), cwd);
    if (program == null) {
      parent.err().println("forge: " + command.get(0) + ": command not found");
      return ExitCodes.NOT_FOUND;
    }
    if (!Files.isExecutable(program) || Files.isDirectory(program)) {
      parent.err().println("forge: " + command.get(0) + ": not executable");
      return ExitCodes.NOT_EXECUTABLE;
    }
    Settings settings = parent.settings();
    Mode m = mode != null ? Mode.parse(mode) : settings.defaultMode();
    if (memoryLimitMb != null && !(memoryLimitMb > 0)) {
      throw new IllegalArgumentException("--memory-limit-mb must be > 0");
    }
    if (timeoutS != null && !(timeoutS > 0)) {
      throw new IllegalArgumentException("--timeout-s must be > 0");
    }
    if (runId != null && (memoryLimitMb == null || timeoutS == null)) {
      throw new IllegalArgumentException("--run-id needs --memory-limit-mb and --timeout-s");
    }
    JobSpec spec =
        CommandParser.parse(command, new CommandParser.Overrides(analysisId, runtime, inputs), cwd);
    Path home = settings.home();
    // A launch never waits on the database: without a snapshot yet (a fresh home) it predicts
    // from priors and the spool, and the first command that opens the database builds one.
    // (Twenty first launches opening the database at once queued for its lock past 30 s.)
    Spool spool = new Spool(home);
    JobPlanner planner = JobPlanner.of(
        new Predictor(LaunchSource.loadOrEmpty(home), settings.clock()), settings);
    JobRunner runner = new JobRunner(planner, spool, settings.clock(), parent.err(),
        home.resolve("native"));
    RunReport report = runner.run(spec, new JobRunner.Options(m,
        StaticLimits.of(memoryLimitMb, timeoutS), force, settings.enforcement(), runId));
    deliver(settings, spool);
    if (jsonReport != null) {
      try {
        Files.writeString(jsonReport, Json.writePretty(report.toJson()) + "\n");
      } catch (IOException e) {
        // The job has run: its exit code and summary stand, Forge's own failure is said.
        parent.err().println("forge: cannot write the JSON report to " + jsonReport + ": "
            + ForgeLaunch.oneLine(e));
      }
    }
    if (!quiet) {
      parent.err().println(report.summaryLine());
    }
    return report.exitCode();
  }

  /**
   * Moves the spooled runs into the database when it pays, never holding the launch up: a
   * shared server database, or the {@code serve} that {@code FORGE_SERVER} names ({@link
   * ServerDelivery}), gets them after every run, within {@link #DELIVERY_BUDGET_MS} (a
   * server that is down or slow costs a launch one second and one line; the runs stay in the
   * spool for the next command that reads the history); the embedded file once enough runs
   * are spooled, by {@code forge-launch ingest} started in the background (one per burst, see
   * {@link IngestCommand#startInBackground}), or here when Forge does not run from its jar —
   * one launch at a time, the others going on without waiting for it, and a file busy for
   * more than a second left to the next reader, silently.
   */
  private void deliver(Settings settings, Spool spool) {
    String node = parent.env().get("FORGE_SERVER");
    boolean toServe = node != null && !node.isBlank();
    boolean server = toServe || !settings.store().isEmbeddedFile();
    if (!server && spool.size() < INGEST_AT_SPOOL_SIZE) {
      return;
    }
    if (!server) {
      try {
        if (IngestCommand.startInBackground(settings.home())) {
          return;
        }
      } catch (IOException e) {
        return; // the next reader ingests: a launch never fails on this
      }
    }
    Throwable[] failure = new Throwable[1];
    Thread delivery = new Thread(() -> {
      try {
        if (toServe) {
          ServerDelivery.deliver(settings.home(), node, parent.env().get("FORGE_API_TOKEN"),
              settings.clock().instant());
        } else {
          ForgeModel.open(settings.store(), settings.clock(), Patience.LAUNCH)
              .ingestUnlessBusy();
        }
      } catch (IOException | RuntimeException e) {
        failure[0] = e;
      }
    }, "forge-delivery");
    delivery.setDaemon(true);
    delivery.start();
    try {
      delivery.join(server ? DELIVERY_BUDGET_MS : 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!server) {
      return;
    }
    String why = delivery.isAlive() ? "no answer within " + DELIVERY_BUDGET_MS / 1000 + " s"
        : failure[0] != null ? ForgeLaunch.oneLine(failure[0]) : null;
    if (failure[0] instanceof io.forge.model.history.UnusableStoreException) {
      parent.err().println("forge: run recorded in " + spool.dir() + "; FORGE_DB_URL cannot"
          + " be used: " + why);
    } else if (why != null) {
      parent.err().println("forge: run recorded in " + spool.dir() + ", not yet in the"
          + " database (" + why + "); " + (toServe ? "the next launch delivers it"
              : "the next command that reads the history moves it in"));
    }
  }
}
