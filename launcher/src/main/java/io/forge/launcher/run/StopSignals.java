package io.forge.launcher.run;

import io.forge.launcher.enforce.ProcessTree;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT, SIGTERM and SIGHUP while a job runs: each reaches the job once, as itself, as if
 * Forge were not there. A signal the job already received — a Ctrl-C its terminal sent to the
 * whole foreground group ({@link SignalOrigin}) — is left to the job; one sent to the launcher
 * alone is passed on to every process of the job, which then has {@link JobRunner#GRACE_MS} to
 * end before SIGKILL (a second such signal kills at once). Caught from construction, so a
 * signal that arrives before or while the job is started is passed on once it has started —
 * one that came before {@link #starting} always (the job did not exist for a terminal to
 * signal), one during the start as any other.
 */
final class StopSignals implements Signals.Receiver {

  private final SignalOrigin.Standing standing;
  private ProcessTree tree;
  private boolean starting;
  private String pending;
  private boolean pendingBeforeStart;
  private String received;
  private boolean forwarded;

  /**
   * Starts catching the signals.
   *
   * @param nativeDir where the signal-origin helper may be unpacked
   */
  StopSignals(Path nativeDir) {
    this.standing = SignalOrigin.Standing.current();
    if (Signals.install(this) && standing.terminalForeground()) {
      // Only a terminal's foreground group receives the terminal's signals: only there does
      // the origin of a signal decide anything.
      int[] numbers = new int[Signals.FORWARDED.size()];
      for (int i = 0; i < numbers.length; i++) {
        numbers[i] = Signals.number(Signals.FORWARDED.get(i));
      }
      SignalOrigin.watch(nativeDir, numbers);
    }
  }

  /** The job is about to be started: from now on it may have received a terminal's signal. */
  synchronized void starting() {
    starting = true;
  }

  /** The job has started: a signal caught before now is handled now. */
  synchronized void started(ProcessTree job) {
    this.tree = job;
    if (pending != null) {
      String name = pending;
      pending = null;
      handle(name, pendingBeforeStart);
    }
  }

  /** The first stop signal the launcher received while the job ran, or null. */
  synchronized String received() {
    return received;
  }

  @Override
  public synchronized void caught(String name) {
    if (tree == null) {
      if (pending == null) {
        pending = name;
        pendingBeforeStart = !starting;
      }
      return;
    }
    handle(name, false);
  }

  private void handle(String name, boolean beforeTheJobExisted) {
    if (received == null) {
      received = name;
    }
    boolean alreadyThere = !beforeTheJobExisted && SignalOrigin.jobAlreadyHasIt(name,
        SignalOrigin.lastCode(Signals.number(name)), standing,
        SignalOrigin.processGroup(tree.root().pid()));
    if (alreadyThere) {
      return; // the terminal signalled the job itself: what happens next is the job's choice
    }
    if (forwarded) {
      tree.kill();
      return;
    }
    forwarded = true;
    tree.signal(name);
    ProcessTree job = tree;
    Thread escalate = new Thread(() -> {
      try {
        if (!job.root().waitFor(JobRunner.GRACE_MS, TimeUnit.MILLISECONDS)) {
          job.kill();
        }
      } catch (InterruptedException e) {
        job.kill();
      }
    }, "forge-signal-grace");
    escalate.setDaemon(true);
    escalate.start();
  }
}
