package io.forge.launcher.enforce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A started job's processes as one thing to wait for, signal and stop: its direct child and
 * whatever its enforcer finds (cgroup members, descendants, processes seen while polling).
 */
public final class ProcessTree {

  private final Process root;
  private final Enforcer enforcer;

  /** The tree of {@code root}, whose processes {@code enforcer} finds. */
  public ProcessTree(Process root, Enforcer enforcer) {
    this.root = root;
    this.enforcer = enforcer;
  }

  /** The job's direct child. */
  public Process root() {
    return root;
  }

  /**
   * Waits for the job to end. With a timeout, a job still running when it expires gets SIGTERM
   * on its whole tree, then SIGKILL after {@code graceMs}.
   *
   * @return true when the timeout stopped it
   */
  public boolean awaitEnd(Double timeoutSeconds, long graceMs) throws InterruptedException {
    boolean timedOut = false;
    if (timeoutSeconds != null
        && !root.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
      timedOut = true;
      stop(graceMs);
    }
    root.waitFor();
    return timedOut;
  }

  /** SIGTERM to the whole tree, SIGKILL after {@code graceMs} if the job is still there. */
  public void stop(long graceMs) throws InterruptedException {
    terminate();
    if (!root.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  /**
   * Sends a signal by name ({@code INT}, {@code TERM}, {@code HUP}) to every process of the job
   * with {@code kill(1)}: Java itself can only send SIGTERM and SIGKILL.
   */
  public void signal(String name) {
    List<String> command = new ArrayList<>(List.of("kill", "-s", name, "--"));
    // Each process once: the cgroup's list and the process tree name the same pids, and a
    // second SIGINT can land while the job's handler is already exiting.
    Set<Long> pids = new LinkedHashSet<>();
    for (ProcessHandle h : enforcer.processes()) {
      if (h.isAlive() && pids.add(h.pid())) {
        command.add(Long.toString(h.pid()));
      }
    }
    if (command.size() == 4) {
      return;
    }
    try {
      new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      terminate(); // no kill(1): SIGTERM still ends the job
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends SIGTERM to every process of the job. */
  public void terminate() {
    for (ProcessHandle h : enforcer.processes()) {
      h.destroy();
    }
  }

  /** Sends SIGKILL to every process of the job. */
  public void kill() {
    enforcer.killAll();
  }
}
