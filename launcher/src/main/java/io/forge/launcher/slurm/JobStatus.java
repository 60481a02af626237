package io.forge.launcher.slurm;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slurm job as {@code scontrol show job -o} shows it: its state, whether that state is final,
 * and how its batch script ended.
 *
 * @param jobId its id
 * @param state its state ({@code PENDING}, {@code RUNNING}, {@code COMPLETED}, {@code
 *     OUT_OF_MEMORY}, …)
 * @param exitCode its batch script's exit code (0 while it runs)
 * @param signal the signal that ended the script, 0 for none
 * @param reason why it waits or ended ({@code None}, {@code Resources}, …)
 */
public record JobStatus(String jobId, String state, int exitCode, int signal, String reason) {

  /** The states after which a job does nothing more. */
  private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "OUT_OF_MEMORY",
      "TIMEOUT", "NODE_FAIL", "PREEMPTED", "CANCELLED", "BOOT_FAIL", "DEADLINE", "REVOKED",
      "SPECIAL_EXIT");

  /**
   * Reasons a pending job waits for something that will not come: Slurm leaves it pending
   * (with {@code EnforcePartLimits=NO}, its default) rather than refuse it.
   */
  private static final Set<String> NEVER = Set.of("PartitionTimeLimit", "PartitionNodeLimit",
      "PartitionConfig", "BadConstraints", "DependencyNeverSatisfied", "InvalidAccount",
      "InvalidQOS");

  private static final Pattern FIELD = Pattern.compile("(?:^|\\s)(\\w+)=(\\S*)");

  /** Whether the job has ended, one way or another. */
  public boolean ended() {
    return FINAL.contains(state);
  }

  /** Whether the job is pending for a reason that will never pass. */
  public boolean stuck() {
    return state.equals("PENDING") && NEVER.contains(reason);
  }

  /**
   * Reads one job's line of {@code scontrol show job -o}; empty when it carries no {@code
   * JobId} and {@code JobState}.
   */
  public static Optional<JobStatus> parse(String line) {
    String id = null;
    String state = null;
    String exit = "0:0";
    String reason = "None";
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      switch (m.group(1)) {
        case "JobId" -> id = m.group(2);
        case "JobState" -> state = m.group(2);
        case "ExitCode" -> exit = m.group(2);
        case "Reason" -> reason = m.group(2);
        default -> { }
      }
    }
    if (id == null || state == null) {
      return Optional.empty();
    }
    int[] code = SlurmUnits.exitCode(exit);
    return Optional.of(new JobStatus(id, state, code[0], code[1], reason));
  }

  /** The same job as {@code sacct} accounted it, once {@code scontrol} has forgotten it. */
  public static JobStatus of(Sacct.Job job) {
    return new JobStatus(job.jobId(), job.state(), job.exitCode(), job.signal(), "None");
  }
}
