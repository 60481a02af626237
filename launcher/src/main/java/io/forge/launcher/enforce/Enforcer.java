package io.forge.launcher.enforce;

import io.forge.launcher.job.Programs;
import io.forge.launcher.measure.KernelCounters;
import io.forge.launcher.measure.TreeSampler;
import io.forge.launcher.policy.Limits;
import java.io.File;
import java.util.List;

/**
 * One job's enforcement and kernel-side measurement: the cgroups made for it (if any), the
 * command prefix that places the job in them before it execs, and the poller that watches its
 * processes (and, without a memory cgroup, kills them past the cap). Made by {@link
 * Enforcers#create}, which picks the best mechanism the host offers; every cgroup made is
 * removed by {@link #close()}.
 */
public interface Enforcer extends AutoCloseable {

  /** What enforces the memory cap. */
  Mechanism mechanism();

  /** The limits enforced ({@link Limits#none()} in dry-run). */
  Limits limits();

  /**
   * The mechanism recorded for the run: {@link Mechanism#NONE} when the watchdog has no cap to
   * watch, so a run nothing capped does not read as a watched one.
   */
  default Mechanism recorded() {
    return mechanism() == Mechanism.WATCHDOG && limits().memoryLimitMb() == null
        ? Mechanism.NONE : mechanism();
  }

  /** Whether a memory cgroup counts the job's peak (the poller is then only a second view). */
  boolean countsMemory();

  /** Why better mechanisms were not used, for {@code doctor}. */
  List<String> notes();

  /**
   * The command to start: when cgroups were made, a {@code /bin/sh} prefix writes its own pid
   * into each of them and then {@code exec}s the job, so the job and everything it forks are
   * inside from their first instruction.
   */
  List<String> wrap(List<String> command);

  /**
   * {@link #wrap}, but only for a command that {@code ProcessBuilder.start()} would start as it
   * stands (see {@link Programs#startable}); anything else is returned unchanged, so the caller's
   * {@code start()} fails as it would without Forge.
   *
   * @param directory the builder's working directory, null for this process's
   */
  default List<String> wrapIfStartable(List<String> command, File directory) {
    return Programs.startable(command.get(0), directory) == null ? command : wrap(command);
  }

  /** Starts polling the started job's processes (and, for the watchdog, enforcing the cap). */
  void attach(Process started);

  /** The poller started by {@link #attach}, or null before. */
  TreeSampler poller();

  /** Whether the memory cap ended the job (kernel OOM kill in the cgroup, or the watchdog). */
  boolean capHit();

  /** The job's peak memory and CPU as the kernel counted them (read before {@link #close}). */
  KernelCounters counters();

  /** Every process of the job that can be found: its cgroup's, its tree, and those seen. */
  List<ProcessHandle> processes();

  /** SIGKILL to every process of the job ({@code cgroup.kill} where available). */
  void killAll();

  /**
   * Kills what is left of the job, stops the poller and removes every cgroup made for it.
   * Idempotent.
   */
  @Override
  void close();

  /**
   * Stops the poller and removes the cgroups if their processes are gone, but never stops a
   * process: for the agent, whose host may outlive a call with the processes it started. A
   * cgroup still in use is removed by a later release or at exit.
   */
  void release();
}
