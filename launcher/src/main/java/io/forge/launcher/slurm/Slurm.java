package io.forge.launcher.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's own commands, run as a user would run them ({@code sbatch}, {@code scontrol}, {@code
 * sacct}, {@code sinfo} from the {@code PATH}, reading {@code SLURM_CONF} like any client): no
 * REST daemon or library to install on a login node.
 */
public final class Slurm {

  /** How long one Slurm command may take before Forge calls the controller unreachable. */
  static final long COMMAND_TIMEOUT_S = 60;

  private final long timeoutSeconds;

  /** Slurm's commands, each given a minute. */
  public Slurm() {
    this(COMMAND_TIMEOUT_S);
  }

  /** Slurm's commands, each given {@code timeoutSeconds} ({@code doctor}'s probe: a few). */
  public Slurm(long timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Whether Slurm's client ({@code sbatch}) is on the {@code PATH}. */
  public static boolean installed() {
    return io.forge.launcher.job.Programs.find("sbatch", Path.of("/")) != null;
  }

  /** For {@code doctor}: whether the controller answers, and what its default partition offers. */
  public String reach() {
    try {
      Partition p = partition(null);
      return "answers; default partition " + p.name() + ": largest node "
          + Math.round(p.largestNodeMb()) + " MB, time limit " + (p.maxTimeS().isPresent()
              ? Math.round(p.maxTimeS().getAsDouble() / 60) + " min" : "none") + " (sinfo)";
    } catch (SlurmException e) {
      return "does not answer: " + e.getMessage();
    }
  }

  /**
   * What a partition offers a job.
   *
   * @param name its name
   * @param largestNodeMb the memory of its largest node, MB
   * @param maxTimeS its time limit, s (empty: none)
   */
  public record Partition(String name, double largestNodeMb, OptionalDouble maxTimeS) {

    /** The most a job's cap may be here: the largest node's memory less the launcher's own. */
    public double jobBudgetMb() {
      return largestNodeMb - SbatchRequest.LAUNCHER_MB;
    }

    /** The longest a job's own timeout may be here (null: no limit). */
    public Double jobTimeoutBoundS() {
      return SbatchRequest.within(maxTimeS);
    }
  }

  /**
   * The partition a job goes to — {@code name}, or the default one when null — as one {@code
   * sinfo} call lists it, a line per node.
   *
   * @throws SlurmException when {@code sinfo} fails or lists no node with memory there
   */
  public Partition partition(String name) {
    Output o = run(List.of("sinfo", "--noheader", "--Node", "--format=%P|%l|%m"));
    if (o.exit() != 0) {
      throw new SlurmException("sinfo cannot list the nodes: " + o.why());
    }
    String found = null;
    OptionalDouble limit = OptionalDouble.empty();
    double largest = 0;
    for (String line : o.out().lines().toList()) {
      String[] f = line.trim().split("\\|", -1);
      boolean here = f.length == 3 && (name == null ? f[0].endsWith("*")
          : f[0].replace("*", "").equals(name));
      OptionalDouble mb = here ? SlurmUnits.megabytes(f[2].replace("+", ""), 'M')
          : OptionalDouble.empty();
      if (mb.isPresent()) {
        found = f[0].replace("*", "");
        limit = SlurmUnits.limitSeconds(f[1]);
        largest = Math.max(largest, mb.getAsDouble());
      }
    }
    if (!(largest > 0)) {
      throw new SlurmException(name == null
          ? "sinfo shows no default partition with memory: give --partition"
          : "sinfo lists no node in partition " + name + " (is there such a partition?)");
    }
    return new Partition(found, largest, limit);
  }

  /** What a command printed and how it ended. */
  record Output(int exit, String out, String err) {
    /** Its first line on stderr, or its exit code when it said nothing. */
    String why() {
      String first = err.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
      return first.isEmpty() ? "exit code " + exit : first;
    }
  }

  /**
   * Submits {@code script} with {@code options} and returns the new job's id.
   *
   * @throws SlurmException when {@code sbatch} refuses it (its own message)
   */
  public String submit(List<String> options, Path script) {
    List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
    command.addAll(options);
    command.add(script.toString());
    Output o = run(command);
    String id = o.out().strip().split(";", 2)[0];
    if (o.exit() != 0 || !id.matches("\\d+")) {
      throw new SlurmException("sbatch refused the job: " + o.why());
    }
    return id;
  }

  /**
   * The job as the controller knows it; empty once it has forgotten it (ended more than {@code
   * MinJobAge} ago).
   *
   * @throws SlurmException when the controller cannot be asked
   */
  public Optional<JobStatus> status(String jobId) {
    Output o = run(List.of("scontrol", "show", "job", "-o", jobId));
    if (o.exit() != 0) {
      if (o.err().contains("Invalid job id")) {
        return Optional.empty();
      }
      throw new SlurmException("scontrol cannot show job " + jobId + ": " + o.why());
    }
    return o.out().lines().map(JobStatus::parse).flatMap(Optional::stream)
        .filter(s -> s.jobId().equals(jobId)).findFirst();
  }

  /** The job as Slurm's accounting has it; empty when there is no accounting (or no line). */
  public Optional<Sacct.Job> accounted(String jobId) {
    Output o = run(List.of("sacct", "--parsable2", "--format=" + Sacct.FORMAT, "-j", jobId));
    if (o.exit() != 0) {
      return Optional.empty(); // "Slurm accounting storage is disabled", or no slurmdbd
    }
    return Sacct.job(o.out(), jobId);
  }







  /** Cancels a job (one that can never start); a failure is the caller's to report. */
  public void cancel(String jobId) {
    Output o = run(List.of("scancel", jobId));
    if (o.exit() != 0) {
      throw new SlurmException("scancel " + jobId + ": " + o.why());
    }
  }

  /** Runs one Slurm command; a missing command or a hung controller is a SlurmException. */
  Output run(List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
          new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new SlurmException(command.get(0) + " cannot be run (is Slurm's client installed"
          + " and on the PATH?): " + e.getMessage());
    }
    try {
      Reader out = new Reader(p.getInputStream());
      Reader err = new Reader(p.getErrorStream());
      out.start();
      err.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SlurmException(command.get(0) + " gave no answer within "
            + timeoutSeconds + " s");
      }
      out.join();
      err.join();
      return new Output(p.exitValue(), out.text, err.text);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SlurmException(command.get(0) + " interrupted");
    }
  }

  /** Drains one of a command's outputs. */
  private static final class Reader extends Thread {
    private final InputStream in;
    private volatile String text = "";

    Reader(InputStream in) {
      super("forge-slurm-output");
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        text = e.getMessage();
      }
    }
  }
}
