package io.forge.launcher.slurm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What Slurm's accounting says a job used: reads {@code sacct --parsable2} output (a header
 * line naming the columns, then one {@code |}-separated line per job and per step) into one
 * {@link Job} per job id — its state and exit code from the job's own line, its peak as the
 * largest {@code MaxRSS} over the {@code .batch}, {@code .extern} and step lines (the job line
 * carries none), its {@code TotalCPU} and {@code Elapsed} from the job line.
 */
public final class Sacct {

  /** The columns {@link Slurm} asks for, in its {@code --format}. */
  public static final String FORMAT = "JobID,JobName,State,ExitCode,MaxRSS,TotalCPU,Elapsed";

  /**
   * One job as accounted.
   *
   * @param jobId its id
   * @param state its state's first word ({@code CANCELLED by 0} is {@code CANCELLED})
   * @param exitCode its batch script's exit code
   * @param signal the signal that ended it, 0 for none
   * @param maxRssMb its largest step's peak RSS, MB (empty when no step was measured)
   * @param totalCpuSeconds its CPU time, user and system, of all steps
   * @param elapsedSeconds its wall time
   */
  public record Job(String jobId, String state, int exitCode, int signal,
      OptionalDouble maxRssMb, OptionalDouble totalCpuSeconds, OptionalDouble elapsedSeconds) {}

  private Sacct() {}

  /**
   * Reads {@code sacct --parsable2} output (with its header) into its jobs, in order.
   *
   * @throws IllegalArgumentException when the header lacks a column Forge needs
   */
  public static List<Job> parse(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return List.of();
    }
    List<String> header = List.of(lines.get(0).split("\\|", -1));
    int id = column(header, "JobID");
    int state = column(header, "State");
    int exit = column(header, "ExitCode");
    int rss = column(header, "MaxRSS");
    int cpu = column(header, "TotalCPU");
    int elapsed = column(header, "Elapsed");
    Map<String, double[]> peaks = new HashMap<>();
    List<String[]> jobLines = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\\|", -1);
      if (f.length < header.size()) {
        continue; // a truncated line (sacct interrupted): nothing to trust in it
      }
      String jobId = f[id];
      int dot = jobId.indexOf('.');
      if (dot < 0) {
        jobLines.add(f);
        continue;
      }
      OptionalDouble mb = SlurmUnits.megabytes(f[rss], 'K');
      if (mb.isPresent()) {
        double[] peak = peaks.computeIfAbsent(jobId.substring(0, dot), k -> new double[] {0});
        peak[0] = Math.max(peak[0], mb.getAsDouble());
      }
    }
    List<Job> jobs = new ArrayList<>();
    for (String[] f : jobLines) {
      int[] code = SlurmUnits.exitCode(f[exit]);
      double[] peak = peaks.get(f[id]);
      jobs.add(new Job(f[id], f[state].split(" ", 2)[0], code[0], code[1],
          peak == null ? OptionalDouble.empty() : OptionalDouble.of(peak[0]),
          SlurmUnits.durationSeconds(f[cpu]), SlurmUnits.durationSeconds(f[elapsed])));
    }
    return jobs;
  }

  /** The job with id {@code jobId} in {@code sacct} output, if it is there. */
  public static Optional<Job> job(String text, String jobId) {
    return parse(text).stream().filter(j -> j.jobId().equals(jobId)).findFirst();
  }

  private static int column(List<String> header, String name) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("sacct output lacks the " + name + " column");
    }
    return i;
  }
}
