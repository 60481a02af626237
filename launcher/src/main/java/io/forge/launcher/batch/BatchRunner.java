package io.forge.launcher.batch;

import io.forge.launcher.job.CommandParser;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.run.Outcomes;
import io.forge.model.Outcome;
import io.forge.model.predict.Prediction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * {@code forge-launch batch}: runs many commands at once under the host budget — the spec's
 * "allocate the right slot". Each job is admitted when its memory cap fits in what the budget
 * has left and its predicted CPU load in the free cores (first fitting job in queue order, so
 * small jobs fill gaps beside a big one); each runs through {@code forge-launch} itself, so it
 * is capped, measured and recorded like any wrapped command; a job killed by its cap is retried
 * once with double the cap (its censored peak stays recorded).
 */
public final class BatchRunner {

  /**
   * How to run.
   *
   * @param launcher the command that starts forge-launch ({@code java … -jar forge-launch.jar})
   * @param budgetMb memory the batch may commit
   * @param cores cores the batch may keep busy
   * @param slotMb when set, every job gets this fixed slot instead of its predicted cap (the
   *     static baseline)
   * @param logs folder for each job's stdout and stderr
   */
  public record Options(List<String> launcher, double budgetMb, double cores, Double slotMb,
      Path logs) {}

  /**
   * The batch's outcome. Jobs are counted once, by how their last attempt ended (the others
   * {@linkplain #failed() failed}); attempts are counted apart.
   *
   * @param jobs jobs in the file
   * @param succeeded jobs whose last attempt exited 0
   * @param killedByCap of the failed jobs, those whose last attempt was killed by its cap
   * @param oomKills attempts killed by their memory cap
   * @param retries attempts retried with a larger cap
   * @param makespanSeconds first start to last end
   * @param peakCommittedMb the most memory committed at once
   */
  public record Summary(int jobs, int succeeded, int killedByCap, int oomKills,
      int retries, double makespanSeconds, double peakCommittedMb) {

    /** Jobs whose last attempt did not exit 0. */
    public int failed() {
      return jobs - succeeded;
    }

    /** One line for people. */
    public String describe() {
      return jobs + " jobs: " + succeeded + " succeeded, " + failed() + " failed"
          + (killedByCap > 0 ? " (" + killedByCap + " of them killed by their cap)" : "")
          + "; " + oomKills + (oomKills == 1 ? " attempt" : " attempts")
          + " killed by a cap, " + retries + " retried with double the cap";
    }

    /** Jobs per hour of makespan. */
    public double jobsPerHour() {
      return makespanSeconds <= 0 ? 0 : jobs * 3600.0 / makespanSeconds;
    }

    /** JSON form. */
    public Map<String, Object> toJson() {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("jobs", jobs);
      j.put("succeeded", succeeded);
      j.put("failed", failed());
      j.put("killed_by_cap", killedByCap);
      j.put("oom_kills", oomKills);
      j.put("retries", retries);
      j.put("makespan_seconds", Math.round(makespanSeconds * 1000) / 1000.0);
      j.put("jobs_per_hour", Math.round(jobsPerHour() * 10) / 10.0);
      j.put("peak_committed_mb", Math.round(peakCommittedMb));
      return j;
    }
  }

  private record Pending(BatchJob job, String logName, double capMb, double load,
      boolean retry) {}

  private record Running(Pending pending, Process process) {}

  private final JobPlanner planner;
  private final Options options;
  private final PrintStream progress;

  /** A runner sizing with {@code planner}; progress goes to {@code progress} (or null). */
  public BatchRunner(JobPlanner planner, Options options, PrintStream progress) {
    this.planner = planner;
    this.options = options;
    this.progress = progress;
  }

  /** Runs the jobs and returns the summary. */
  public Summary run(List<BatchJob> jobs) throws IOException, InterruptedException {
    Files.createDirectories(options.logs());
    Deque<Pending> queue = new ArrayDeque<>();
    Set<String> names = new HashSet<>();
    for (BatchJob job : jobs) {
      queue.add(plan(job, names));
    }
    Admission admission = new Admission(options.budgetMb(), options.cores());
    List<Running> running = new ArrayList<>();
    int done = 0;
    int succeeded = 0;
    int killedByCap = 0;
    int oomKills = 0;
    int retries = 0;
    double peak = 0;
    long start = System.nanoTime();
    while (!queue.isEmpty() || !running.isEmpty()) {
      for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (admission.fits(p.capMb(), p.load())) {
          it.remove();
          admission.start(p.capMb(), p.load());
          running.add(new Running(p, start(p)));
          peak = Math.max(peak, admission.committedMb());
        }
      }
      Thread.sleep(20);
      for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
        Running r = it.next();
        if (r.process().isAlive()) {
          continue;
        }
        it.remove();
        admission.finish(r.pending().capMb(), r.pending().load());
        int exit = r.process().exitValue();
        if (Outcomes.reported(exit, false) == Outcome.OOM_KILLED) {
          oomKills++;
          if (!r.pending().retry()) {
            retries++;
            queue.addFirst(new Pending(r.pending().job(), r.pending().logName(),
                Math.min(options.budgetMb(), 2 * r.pending().capMb()), r.pending().load(), true));
            continue;
          }
          killedByCap++;
        }
        done++;
        if (exit == 0) {
          succeeded++;
        }
      }
      report(done, jobs.size(), running.size(), queue.size(), admission.committedMb());
    }
    if (progress != null) {
      progress.println();
    }
    return new Summary(jobs.size(), succeeded, killedByCap, oomKills,
        retries, (System.nanoTime() - start) / 1e9, peak);
  }

  /**
   * The job's cap and load, as the launcher will size it in enforce mode, and the name of its
   * logs: its analysis id, numbered when several jobs share one.
   */
  private Pending plan(BatchJob job, Set<String> names) {
    Path cwd = Path.of("").toAbsolutePath();
    JobPlanner.Plan plan = planner.plan(CommandParser.parse(job.command(),
        new CommandParser.Overrides(job.analysisId(), null, List.of()), cwd).job(),
        Mode.ENFORCE, StaticLimits.of(null, null), true);
    Prediction p = plan.prediction();
    double cap = options.slotMb() != null ? options.slotMb() : plan.limits().memoryLimitMb();
    String base = logName(plan.job().analysisId());
    String name = base;
    for (int n = 2; !names.add(name); n++) {
      name = base + "-" + n; // unused by any job so far, whatever their ids
    }
    return new Pending(job, name, cap,
        Admission.load(p.cpuSeconds(), p.wallSeconds(), options.cores()), false);
  }

  /** An analysis id as a file name: letters, digits, {@code .}, {@code _}, {@code -}. */
  public static String logName(String analysisId) {
    String name = analysisId.replaceAll("[^A-Za-z0-9._-]+", "_");
    name = name.length() > 80 ? name.substring(0, 80) : name;
    return name.isEmpty() || name.startsWith(".") ? "job" + name : name;
  }

  private Process start(Pending p) throws IOException {
    List<String> command = new ArrayList<>(options.launcher());
    command.add("--quiet");
    if (options.slotMb() != null || p.retry()) {
      command.addAll(List.of("--mode", "deterministic", "--memory-limit-mb",
          Long.toString(Math.round(p.capMb()))));
    } else {
      command.addAll(List.of("--mode", "enforce"));
    }
    if (p.job().analysisId() != null) {
      command.addAll(List.of("--analysis-id", p.job().analysisId()));
    }
    command.add("--");
    command.addAll(p.job().command());
    String name = p.logName() + (p.retry() ? "-retry" : "");
    // Started and waited for by this thread: a batch killed outright takes its launchers along.
    return new ProcessBuilder(io.forge.launcher.run.ParentDeath.guard(command))
        .redirectOutput(options.logs().resolve(name + ".out").toFile())
        .redirectError(options.logs().resolve(name + ".err").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  private void report(int done, int total, int running, int queued, double committedMb) {
    if (progress != null) {
      progress.print("\rforge batch: " + done + "/" + total + " done, " + running
          + " running, " + queued + " queued, " + Math.round(committedMb) + " of "
          + Math.round(options.budgetMb()) + " MB committed   ");
    }
  }
}
