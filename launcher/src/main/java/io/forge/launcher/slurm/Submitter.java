package io.forge.launcher.slurm;

import io.forge.launcher.job.JobSpec;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.slurm.Retries.Report;
import io.forge.launcher.slurm.Retries.Sizing;
import io.forge.launcher.slurm.Retries.Verdict;
import io.forge.launcher.run.JobPlanner;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * {@code submit}'s work: size a job as a launch would, submit it to Slurm with that memory and
 * time, follow it to its end, and resubmit it while that helps — memory kills and timeouts
 * with the retry rule's larger cap or time, preemption and node failure unchanged, a job's own
 * failure never. Inside the allocation the job runs through {@code forge-launch run} with the
 * run id and limits chosen here, so it is capped, measured and recorded as any launch is.
 */
public final class Submitter {

  /**
   * How {@code submit} goes about it.
   *
   * @param jobName the Slurm job name, unless the user gives one
   * @param partition {@code --partition}, or null
   * @param cpus {@code --cpus-per-task}, or null
   * @param target the partition the job goes to: its largest node bounds the cap, its time
   *     limit the timeout
   * @param maxAttempts attempts in all
   * @param follow follow each attempt to its end (and resubmit), or return once submitted
   * @param launcher how a node starts {@code forge-launch}
   * @param dir where the batch scripts and the launchers' reports go (shared with the nodes)
   * @param pollMs how often the controller is asked about a followed job
   */
  public record Options(String jobName, String partition, Integer cpus, Slurm.Partition target,
      int maxAttempts, boolean follow, List<String> launcher, Path dir, long pollMs) {

    /** The same options for a job named {@code name}. */
    public Options withJobName(String name) {
      return new Options(name, partition, cpus, target, maxAttempts, follow, launcher, dir,
          pollMs);
    }
  }

  /** A stream that drops what it is given (job ids nobody reads). */
  public static final PrintStream NOWHERE =
      new PrintStream(java.io.OutputStream.nullOutputStream());

  /** The Slurm job name of an analysis's jobs: {@code forge-} and its id as a file name. */
  public static String jobName(String analysisId) {
    return "forge-" + io.forge.launcher.batch.BatchRunner.logName(analysisId);
  }

  /** Every attempt, and the code {@code submit} exits with. */
  public record Result(List<Attempt> attempts, int exitCode) {
    /** As JSON for {@code --json}. */
    public Map<String, Object> toJson() {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("exit_code", exitCode);
      j.put("attempts", attempts.stream().map(Attempt::toJson).toList());
      return j;
    }
  }

  private final Slurm slurm;
  private final JobPlanner planner;
  private final SbatchRequest request;
  private final Options options;
  private final PrintStream err;
  private final PrintStream out;
  private final BiConsumer<String, Settlement> orphans;
  private volatile InFlight inFlight;

  /** The attempt being followed: its job and its number. */
  public record InFlight(Submitted job, int number) {}

  /**
   * A submitter.
   *
   * @param planner plans within the partition's budget, from a long-lived source (see {@link
   *     io.forge.model.snapshot.LaunchSource#longLived}: a retry sees what the attempt before it
   *     settled in a shared home)
   * @param err where one line per attempt goes (null: none)
   * @param out where each submitted job's id goes, one per line
   * @param orphans settles, by run id, the run of an attempt whose launcher was killed before
   *     it could (see {@link Retries#orphan}): they would otherwise stay running until declared
   *     abandoned
   */
  public Submitter(Slurm slurm, JobPlanner planner, SbatchRequest request,
      Options options, PrintStream out, PrintStream err,
      BiConsumer<String, Settlement> orphans) {
    this.slurm = slurm;
    this.planner = planner;
    this.request = request;
    this.options = options;
    this.out = out;
    this.err = err;
    this.orphans = orphans;
  }

  /**
   * The attempt this submitter is following now, or null: what a {@code submit --wait}
   * stopped by a signal hands to a background follower.
   */
  public InFlight inFlight() {
    return inFlight;
  }

  /** Sizes, submits and (with {@code follow}) sees the job to its last attempt's end. */
  public Result submit(JobSpec spec, Double memoryBoundMb, Double timeoutBoundS)
      throws IOException, InterruptedException {
    Double timeBound = tighter(timeoutBoundS, options.target().jobTimeoutBoundS());
    JobPlanner.Plan plan = plan(spec, memoryBoundMb, timeBound, false);
    if (plan.refused()) {
      say("forge: " + plan.decision().note() + "; not submitted");
      return new Result(List.of(), ExitCodes.REFUSED);
    }
    if (plan.decision().note() != null) {
      say("forge: " + plan.decision().note());
    }
    Sizing sizing = new Sizing(plan.limits().memoryLimitMb(), plan.limits().timeoutSeconds());
    return attempts(spec, memoryBoundMb, timeBound, sizing, null);
  }

  /** The job planned in enforce mode within the user's bounds. */
  private JobPlanner.Plan plan(JobSpec spec, Double memoryBoundMb, Double timeoutBoundS,
      boolean force) {
    return planner.plan(spec.job(), io.forge.launcher.policy.Mode.ENFORCE,
        io.forge.launcher.policy.StaticLimits.of(memoryBoundMb, timeoutBoundS), force);
  }

  private static Double tighter(Double a, Double b) {
    return a == null ? b : b == null ? a : Double.valueOf(Math.min(a, b));
  }

  /**
   * Follows a job {@code submit} has already submitted as its first attempt (the background
   * follower of a {@code submit} without {@code --wait}) and resubmits it as {@link #submit}
   * would.
   */
  public Result follow(JobSpec spec, Double memoryBoundMb, Double timeoutBoundS,
      Submitted first) throws IOException, InterruptedException {
    return attempts(spec, memoryBoundMb, tighter(timeoutBoundS,
        options.target().jobTimeoutBoundS()),
        first.sizing(), first);
  }

  private Result attempts(JobSpec spec, Double memoryBoundMb, Double timeoutBoundS,
      Sizing firstSizing, Submitted first) throws IOException, InterruptedException {
    Sizing sizing = firstSizing;
    List<Attempt> attempts = new ArrayList<>();
    for (int n = 1; ; n++) {
      Attempt a = n == 1 && first != null ? followed(1, first)
          : attempt(n, spec, sizing);
      attempts.add(a);
      if (!options.follow()) {
        return new Result(attempts, ExitCodes.OK);
      }
      if (a.verdict() == Verdict.DONE) {
        say("forge: job " + a.jobId() + " " + describe(a) + "; exit " + a.exitCode());
        return new Result(attempts, a.exitCode());
      }
      if (n >= options.maxAttempts()) {
        say("forge: job " + a.jobId() + " " + describe(a) + "; no attempt left (--max-attempts "
            + options.maxAttempts() + ")");
        return new Result(attempts, a.exitCode());
      }
      JobPlanner.Plan again = plan(spec, memoryBoundMb, timeoutBoundS, true);
      Sizing next = Retries.next(a.verdict(), sizing, again.limits().memoryLimitMb(),
          again.limits().timeoutSeconds(), tighter(memoryBoundMb, options.target().jobBudgetMb()),
          timeoutBoundS);
      if (next == null) {
        say("forge: job " + a.jobId() + " " + describe(a) + "; not resubmitted: "
            + (a.verdict() == Verdict.MEMORY ? "its cap cannot grow (your --mem or the"
                + " largest node)" : "its time cannot grow (your --time or the partition's"
                + " limit)"));
        return new Result(attempts, a.exitCode());
      }
      say("forge: job " + a.jobId() + " " + describe(a) + "; resubmitting with "
          + Math.round(next.capMb()) + " MB, " + Math.round(next.timeoutS()) + " s");
      sizing = next;
    }
  }

  private Attempt attempt(int n, JobSpec spec, Sizing sizing)
      throws IOException, InterruptedException {
    String runId = NewRun.newRunId();
    Files.createDirectories(options.dir());
    Path script = options.dir().resolve(runId + ".sh");
    Path reportFile = options.dir().resolve(runId + ".json");
    Files.writeString(script, BatchScript.of(options.launcher(), runId, sizing,
        spec.job().analysisId(), reportFile, spec.inputs(), spec.command()));
    String jobId;
    try {
      jobId = slurm.submit(request.options(options.jobName(), runId, sizing.capMb(),
          sizing.timeoutS(), options.partition(), options.cpus()), script);
    } finally {
      Files.deleteIfExists(script); // sbatch keeps its own copy
    }
    out.println(jobId);
    say("forge: submitted job " + jobId + " for " + spec.job().analysisId() + " (attempt " + n
        + " of " + options.maxAttempts() + "): cap " + Math.round(sizing.capMb())
        + " MB, timeout " + Math.round(sizing.timeoutS()) + " s, run " + runId);
    Submitted submitted = new Submitted(jobId, runId, sizing);
    if (!options.follow()) {
      return new Attempt(n, jobId, runId, sizing, null, null, null, null, null);
    }
    return followed(n, submitted);
  }

  /** Follows a submitted attempt to its end and reads how it ended. */
  private Attempt followed(int n, Submitted s) throws InterruptedException {
    String jobId = s.jobId();
    inFlight = new InFlight(s, n);
    JobStatus end;
    try {
      end = followToEnd(jobId);
    } finally {
      inFlight = null;
    }
    Report report = Retries.readReport(options.dir().resolve(s.runId() + ".json"), end);
    Sacct.Job accounted = slurm.accounted(jobId).orElse(null);
    if (end.state().equals("UNKNOWN") && accounted != null) {
      end = JobStatus.of(accounted);
    }
    Verdict verdict = Retries.verdict(end, report);
    if (report == null && Retries.launcherKilled(end)) {
      orphans.accept(s.runId(), Retries.orphan(end, accounted, s.sizing().capMb(),
          Instant.now()));
    }
    return new Attempt(n, jobId, s.runId(), s.sizing(), end.state(),
        Retries.exitCode(end, report, verdict), report, accounted, verdict);
  }

  /**
   * How long a followed job's controller may stay unreachable before Forge gives up on the job
   * (it keeps running; {@code squeue} shows it), ms.
   */
  static final long UNREACHABLE_MS = 30 * 60 * 1000;

  /** Polls the controller until the job has ended; a controller away for a while is waited for. */
  private JobStatus followToEnd(String jobId) throws InterruptedException {
    String said = null;
    long awaySince = 0;
    while (true) {
      Optional<JobStatus> s;
      try {
        s = slurm.status(jobId);
        awaySince = 0;
      } catch (SlurmException e) {
        long now = System.nanoTime() / 1_000_000;
        awaySince = awaySince == 0 ? now : awaySince;
        if (now - awaySince > UNREACHABLE_MS) {
          throw new SlurmException("gave up following job " + jobId + ": " + e.getMessage()
              + " for " + UNREACHABLE_MS / 60_000 + " minutes");
        }
        if (!e.getMessage().equals(said)) {
          say("forge: " + e.getMessage() + "; still waiting for job " + jobId);
          said = e.getMessage();
        }
        Thread.sleep(Math.max(options.pollMs(), 5000));
        continue;
      }
      if (s.isEmpty()) {
        return new JobStatus(jobId, "UNKNOWN", 0, 0, "None"); // forgotten: sacct may know
      }
      if (s.get().ended()) {
        return s.get();
      }
      if (s.get().stuck()) {
        slurm.cancel(jobId);
        throw new SlurmException("job " + jobId + " can never start (Slurm's reason: "
            + s.get().reason() + "); cancelled it");
      }
      Thread.sleep(options.pollMs());
    }
  }

  private static String describe(Attempt a) {
    return switch (a.verdict()) {
      case MEMORY -> "was killed by its " + Math.round(a.sizing().capMb()) + " MB cap";
      case TIME -> "ran out of its " + Math.round(a.sizing().timeoutS()) + " s";
      case UNCHANGED -> "ended " + a.state() + " (not the job's doing)";
      case DONE -> "ended " + a.state();
    };
  }

  private void say(String line) {
    if (err != null) {
      err.println(line);
    }
  }
}
