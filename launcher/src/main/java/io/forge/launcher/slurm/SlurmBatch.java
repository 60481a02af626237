package io.forge.launcher.slurm;

import io.forge.launcher.batch.BatchJob;
import io.forge.launcher.job.CommandParser;
import io.forge.launcher.job.JobSpec;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.JobPlanner;
import io.forge.model.history.Settlement;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * {@code forge-launch batch FILE --slurm}: every command of the file submitted as {@code
 * submit --wait} would, at most {@code maxJobs} in Slurm at once (the scheduler places them;
 * Forge sizes them and retries them), each job's attempts and outcome in the summary.
 */
public final class SlurmBatch {

  /**
   * One job of the batch: its line, its attempts, how it ended.
   *
   * @param error why it could not be submitted or followed (Slurm's message), or null
   */
  public record JobResult(BatchJob job, String analysisId, Submitter.Result result,
      String error) {

    int exitCode() {
      return error != null ? ExitCodes.FORGE_FAILURE : result.exitCode();
    }
  }

  /** The batch's end. */
  public record Summary(List<JobResult> jobs, double seconds) {

    /** Jobs whose last attempt exited 0. */
    public long succeeded() {
      return jobs.stream().filter(j -> j.exitCode() == 0).count();
    }

    /** Attempts submitted in all. */
    public long attempts() {
      return jobs.stream().filter(j -> j.result() != null)
          .mapToLong(j -> j.result().attempts().size()).sum();
    }

    /** Memory the attempts asked Slurm for ({@code --mem}), summed, MB. */
    public double requestedMb() {
      return jobs.stream().filter(j -> j.result() != null)
          .flatMap(j -> j.result().attempts().stream())
          .mapToDouble(a -> a.sizing().capMb() + SbatchRequest.LAUNCHER_MB).sum();
    }

    /** One line for people, naming the lines that failed and how. */
    public String describe() {
      List<String> failed = new ArrayList<>();
      for (JobResult j : jobs) {
        if (j.exitCode() != 0) {
          failed.add("line " + j.job().line() + " (" + j.analysisId() + ", exit "
              + j.exitCode() + ")");
        }
      }
      return jobs.size() + " jobs: " + succeeded() + " succeeded, " + failed.size()
          + " failed" + (failed.isEmpty() ? "" : ": " + String.join(", ", failed)) + "; "
          + attempts() + " Slurm jobs asked for " + Math.round(requestedMb()) + " MB in all; "
          + Math.round(seconds) + " s";
    }

    /** As JSON for {@code --json}. */
    public Map<String, Object> toJson() {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("jobs", jobs.size());
      j.put("succeeded", succeeded());
      j.put("attempts", attempts());
      j.put("requested_memory_mb", Math.round(requestedMb()));
      j.put("seconds", Math.round(seconds * 10) / 10.0);
      List<Map<String, Object>> each = new ArrayList<>();
      for (JobResult r : jobs) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("line", r.job().line());
        e.put("analysis_id", r.analysisId());
        e.put("exit_code", r.exitCode());
        e.put("error", r.error());
        e.put("attempts", r.result() == null ? List.of() : r.result().toJson().get("attempts"));
        each.add(e);
      }
      j.put("results", each);
      return j;
    }
  }

  private final Slurm slurm;
  private final JobPlanner planner;
  private final BiConsumer<String, Settlement> orphans;
  private final Submitter.Options options;
  private final int maxJobs;
  private final Path logs;
  private final PrintStream log;
  private final PrintStream progress;

  /**
   * A batch.
   *
   * @param orphans settles the runs of attempts whose launcher Slurm killed (see {@link
   *     Submitter})
   * @param options each job's submit options (the job name is made per job)
   * @param maxJobs jobs in Slurm at once
   * @param logs where each Slurm job's output goes ({@code <job name>-<job id>.out})
   * @param log where the line of each attempt goes
   * @param progress where a progress line is redrawn (a terminal), or null
   */
  public SlurmBatch(Slurm slurm, JobPlanner planner,
      BiConsumer<String, Settlement> orphans, Submitter.Options options, int maxJobs,
      Path logs, PrintStream log, PrintStream progress) {
    this.slurm = slurm;
    this.planner = planner;
    this.orphans = orphans;
    this.options = options;
    this.maxJobs = maxJobs;
    this.logs = logs;
    this.log = log;
    this.progress = progress;
  }

  /** Submits and follows every job; returns when the last one has ended. */
  public Summary run(List<BatchJob> jobs, Path cwd) throws InterruptedException {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(maxJobs, r -> {
      Thread t = new Thread(r, "forge-slurm-batch");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger done = new AtomicInteger();
    List<Future<JobResult>> futures = new ArrayList<>();
    try {
      for (BatchJob job : jobs) {
        futures.add(pool.submit(() -> {
          JobResult r = one(job, cwd);
          report(done.incrementAndGet(), jobs.size());
          return r;
        }));
      }
      List<JobResult> results = new ArrayList<>();
      for (Future<JobResult> f : futures) {
        try {
          results.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
      if (progress != null) {
        progress.println();
      }
      return new Summary(results, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One job to its end. Whatever goes wrong with it — a line Forge cannot read, Slurm refusing
   * it — is its result, not the batch's end: the other jobs go on being followed.
   */
  private JobResult one(BatchJob job, Path cwd) throws InterruptedException {
    String id = job.analysisId() != null ? job.analysisId() : "line " + job.line();
    try {
      JobSpec spec = CommandParser.parse(job.command(),
          new CommandParser.Overrides(job.analysisId(), null, List.of()), cwd);
      id = spec.job().analysisId();
      SbatchRequest output = new SbatchRequest(
          List.of("--output=" + logs.toAbsolutePath() + "/%x-%j.out"));
      return new JobResult(job, id, new Submitter(slurm, planner, output,
          options.withJobName(Submitter.jobName(id)), Submitter.NOWHERE, log, orphans)
          .submit(spec, null, null), null);
    } catch (java.io.IOException | RuntimeException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      log.println("forge: line " + job.line() + " (" + id + "): " + why);
      return new JobResult(job, id, null, why);
    }
  }

  private synchronized void report(int done, int total) {
    if (progress != null) {
      progress.print("\rforge batch: " + done + "/" + total + " done (Slurm)   ");
    }
  }
}
