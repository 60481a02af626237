package io.forge.launcher.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The {@code sbatch} options of one {@code submit}: the user's own, read for what Forge must
 * respect, and Forge's, added where the user gave none. The user's options win — a job name,
 * a time limit, a partition are theirs when they give them — except that an explicit {@code
 * --mem} is an upper bound: Forge asks for less when its prediction allows (never more). With
 * {@code --mem-per-cpu} Forge sets no {@code --mem} at all (Slurm refuses both together) and
 * caps the job within the user's amount. Options that would take the job out of Forge's hands
 * ({@code --wrap}, {@code --wait}, {@code --array}, {@code --requeue}, {@code --mem-per-gpu})
 * are refused, as are words that follow no option (a forgotten {@code --} before the command).
 */
public final class SbatchRequest {

  /**
   * Memory the launcher itself takes inside the allocation besides its job's cap, MB: its JVM
   * peaks near 40 MB (measured with {@code /proc/PID/status} VmHWM of a launcher running
   * {@code sleep}); {@code --mem} is the job's cap plus this.
   */
  public static final double LAUNCHER_MB = 64;

  /**
   * Time the launcher keeps between its own timeout and Slurm's limit, s: a job Forge times
   * out is stopped (5 s grace), measured and recorded before Slurm would kill it.
   */
  public static final double LAUNCHER_S = 60;

  /** Options Forge handles itself, or cannot honour, and will not pass on. */
  private static final Set<String> REFUSED = Set.of("--wrap", "--wait", "-W", "--array", "-a",
      "--requeue", "--mem-per-gpu");

  private final List<String> passed = new ArrayList<>();
  private Double memMb;
  private Double memPerCpuMb;
  private boolean otherMemory;
  private Double timeS;
  private boolean name;
  private boolean comment;
  private boolean requeue;
  private String partition;
  private Integer cpus;

  /**
   * Reads the user's {@code sbatch} options.
   *
   * @throws IllegalArgumentException for an option Forge refuses (see the class comment), a
   *     word that follows no option, or an unreadable {@code --mem}, {@code --time} or CPU
   *     count
   */
  public SbatchRequest(List<String> options) {
    boolean valueMayFollow = false; // a bare word is the value of an option before it
    for (int i = 0; i < options.size(); i++) {
      String token = options.get(i);
      String key = token;
      String value = null;
      int eq = token.indexOf('=');
      if (token.startsWith("--") && eq > 0) {
        key = token.substring(0, eq);
        value = token.substring(eq + 1);
      } else if (token.length() > 2 && token.charAt(0) == '-' && token.charAt(1) != '-'
          && "JtpcWa".indexOf(token.charAt(1)) >= 0) {
        key = token.substring(0, 2);
        value = token.substring(2);
      }
      if (REFUSED.contains(key)) {
        throw new IllegalArgumentException("sbatch option " + key + " " + switch (key) {
          case "--wrap" -> "is Forge's own: give the command after the second --";
          case "--wait", "-W" -> "is Forge's own: use forge-launch submit --wait";
          case "--requeue" -> "is Forge's own: it resubmits a preempted job itself, recording"
              + " each attempt";
          case "--mem-per-gpu" -> "leaves Forge no memory to size: give --mem as an upper"
              + " bound";
          default -> "is not for Forge: submit each command with forge-launch batch --slurm";
        });
      }
      if (!token.startsWith("-") && !valueMayFollow) {
        throw new IllegalArgumentException("'" + token + "' is not an sbatch option: put --"
            + " between the sbatch options and the command");
      }
      valueMayFollow = token.startsWith("-") && value == null;
      boolean valued = Set.of("--mem", "--mem-per-cpu", "--time", "-t",
          "--job-name", "-J", "--comment", "--partition", "-p", "--cpus-per-task", "-c")
          .contains(key);
      boolean separate = valued && value == null;
      if (separate) {
        if (i + 1 >= options.size()) {
          throw new IllegalArgumentException("sbatch option " + key + " needs a value");
        }
        value = options.get(++i);
        valueMayFollow = false;
      }
      switch (key) {
        case "--mem" -> {
          memMb = size(key, value);
          continue; // Forge passes its own --mem, at most this
        }
        case "--mem-per-cpu" -> {
          memPerCpuMb = size(key, value);
          otherMemory = true;
        }
        case "--time", "-t" -> {
          OptionalDouble t = SlurmUnits.limitSeconds(value);
          if (t.isEmpty() && !value.equalsIgnoreCase("UNLIMITED")
              && !value.equalsIgnoreCase("INFINITE")) {
            throw new IllegalArgumentException("--time " + value + ": not a time limit sbatch"
                + " reads (such as 90, 1:30:00 or 2-00)");
          }
          // 0, like UNLIMITED, is no limit to Slurm.
          timeS = t.isPresent() && t.getAsDouble() > 0 ? t.getAsDouble()
              : Double.POSITIVE_INFINITY;
        }
        case "--job-name", "-J" -> name = true;
        case "--comment" -> comment = true;
        case "--no-requeue" -> requeue = true;
        case "--partition", "-p" -> partition = value;
        case "--cpus-per-task", "-c" -> cpus = count(key, value);
        default -> { }
      }
      passed.add(token); // as the user wrote it
      if (separate) {
        passed.add(value);
      }
    }
  }

  private static int count(String key, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(key + " " + value + ": not a count of CPUs");
  }

  private static double size(String key, String value) {
    OptionalDouble mb = SlurmUnits.megabytes(value, 'M');
    if (mb.isEmpty()) {
      throw new IllegalArgumentException(key + " " + value + ": not a size sbatch reads (such"
          + " as 4G or 500)");
    }
    return mb.getAsDouble();
  }

  /** The partition the user named, else {@code fallback}. */
  public String partition(String fallback) {
    return partition != null ? partition : fallback;
  }

  /**
   * The most the job's cap may be, MB, by the user's memory options (their {@code --mem} or
   * {@code --mem-per-cpu} × CPUs, less the launcher's own), or null when they set none.
   *
   * @throws IllegalArgumentException when that leaves nothing for the job
   */
  public Double memoryBoundMb(int defaultCpus) {
    Double total = memMb != null && memMb > 0 ? memMb
        : memPerCpuMb != null && memPerCpuMb > 0
            ? memPerCpuMb * (cpus != null ? cpus : defaultCpus) : null;
    if (total == null) {
      return null;
    }
    if (total <= LAUNCHER_MB) {
      throw new IllegalArgumentException("the memory you gave sbatch, " + Math.round(total)
          + " MB, leaves nothing for the job once the launcher has its "
          + Math.round(LAUNCHER_MB) + " MB");
    }
    return total - LAUNCHER_MB;
  }

  /**
   * The longest the job's own timeout may be, s, by the user's {@code --time} (less the time
   * the launcher keeps to stop and record it), or null when they set none.
   */
  public Double timeoutBoundS() {
    if (timeS == null || timeS.isInfinite()) {
      return null;
    }
    return within(timeS);
  }

  /**
   * Checks the user's {@code --time} against the partition's limit, s (null: none): Slurm
   * would leave a job asking for more pending for ever.
   *
   * @throws IllegalArgumentException naming both
   */
  public void checkTimeWithin(Double partitionLimitS, String partition) {
    if (timeS != null && partitionLimitS != null && timeS > partitionLimitS) {
      throw new IllegalArgumentException("your --time ("
          + (timeS.isInfinite() ? "unlimited" : Math.round(timeS / 60) + " min")
          + ") is beyond the time limit of partition " + (partition != null ? partition
              : "(the default)") + " (" + Math.round(partitionLimitS / 60) + " min): Slurm"
          + " would never start the job");
    }
  }

  /** The longest a job's own timeout may be under a Slurm time limit of {@code limitS}. */
  static double within(double limitS) {
    return Math.max(limitS - LAUNCHER_S, limitS / 2);
  }

  /** The same for a partition's limit, if it has one (null: none). */
  static Double within(OptionalDouble partitionLimitS) {
    return partitionLimitS.isPresent() ? Double.valueOf(within(partitionLimitS.getAsDouble()))
        : null;
  }

  /**
   * The options of one attempt: Forge's where the user gave none, then the user's.
   *
   * @param jobName the job's name in {@code squeue}
   * @param runId the run id the attempt records (in the job's comment)
   * @param capMb the job's memory cap
   * @param timeoutS the job's timeout
   * @param defaultPartition {@code submit --partition}, or null
   * @param defaultCpus {@code submit --cpus}, or null
   */
  public List<String> options(String jobName, String runId, double capMb, double timeoutS,
      String defaultPartition, Integer defaultCpus) {
    List<String> o = new ArrayList<>();
    if (!otherMemory) {
      o.add("--mem=" + SlurmUnits.mem(capMb + LAUNCHER_MB));
    }
    if (timeS == null) {
      o.add("--time=" + SlurmUnits.time(timeoutS + LAUNCHER_S));
    }
    if (!name) {
      o.add("--job-name=" + jobName);
    }
    if (!comment) {
      o.add("--comment=forge-run=" + runId);
    }
    if (!requeue) {
      o.add("--no-requeue"); // Forge resubmits a preempted or failed-node job itself
    }
    if (partition == null && defaultPartition != null) {
      o.add("--partition=" + defaultPartition);
    }
    if (cpus == null && defaultCpus != null) {
      o.add("--cpus-per-task=" + defaultCpus);
    }
    o.addAll(passed);
    return o;
  }
}
