package io.forge.launcher.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.slurm.Retries.Report;
import io.forge.launcher.slurm.Retries.Sizing;
import io.forge.launcher.slurm.Retries.Verdict;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.Settlement;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What {@code submit} makes of an attempt's end, and what it asks for next. */
class RetriesTest {

  private static JobStatus ended(String state, int code, int signal) {
    return new JobStatus("7", state, code, signal, "None");
  }

  @Test
  void slurmsOwnEndsComeFirst() {
    Report ok = new Report("ok", 0);
    assertEquals(Verdict.UNCHANGED, Retries.verdict(ended("NODE_FAIL", 0, 0), null));
    assertEquals(Verdict.UNCHANGED, Retries.verdict(ended("PREEMPTED", 0, 0), null));
    assertEquals(Verdict.MEMORY, Retries.verdict(ended("OUT_OF_MEMORY", 0, 125), null));
    assertEquals(Verdict.TIME, Retries.verdict(ended("TIMEOUT", 0, 15), null));
    assertEquals(Verdict.DONE, Retries.verdict(ended("CANCELLED", 0, 15), null));
    assertEquals(143, Retries.exitCode(ended("CANCELLED", 0, 0), null, Verdict.DONE));
    // Lost by Slurm with nothing to say how the job ended: not a success.
    assertEquals(125, Retries.exitCode(ended("NODE_FAIL", 0, 0), null, Verdict.UNCHANGED));
    assertEquals(125, Retries.exitCode(ended("UNKNOWN", 0, 0), null, Verdict.DONE));
    // Stopped from outside, the launcher reports "interrupted": Slurm's state says why.
    Report stopped = new Report("interrupted", 143);
    assertEquals(Verdict.TIME, Retries.verdict(ended("TIMEOUT", 0, 15), stopped));
    assertEquals(Verdict.UNCHANGED, Retries.verdict(ended("PREEMPTED", 0, 15), stopped));
    // Slurm's cgroup calls a job OUT_OF_MEMORY for an OOM kill it survived: the report wins.
    assertEquals(Verdict.DONE, Retries.verdict(ended("OUT_OF_MEMORY", 0, 0), ok));
    assertEquals(0, Retries.exitCode(ended("OUT_OF_MEMORY", 0, 0), ok, Verdict.DONE));
  }

  @Test
  void theLaunchersReportTellsACapKillFromTheJobsOwnFailure() {
    assertEquals(Verdict.MEMORY,
        Retries.verdict(ended("FAILED", 137, 0), new Report("oom_killed", 137)));
    assertEquals(Verdict.TIME,
        Retries.verdict(ended("FAILED", 124, 0), new Report("timed_out", 124)));
    // The job itself died of SIGKILL (exit 137 too): its own failure, not retried.
    Report own = new Report("failed", 137);
    assertEquals(Verdict.DONE, Retries.verdict(ended("FAILED", 137, 0), own));
    assertEquals(137, Retries.exitCode(ended("FAILED", 137, 0), own, Verdict.DONE));
    assertEquals(3, Retries.exitCode(ended("FAILED", 3, 0), new Report("failed", 3),
        Verdict.DONE));
    // Without a report (a home the submit host cannot read), the launcher's exit code says.
    assertEquals(Verdict.MEMORY, Retries.verdict(ended("FAILED", 137, 0), null));
    assertEquals(Verdict.DONE, Retries.verdict(ended("FAILED", 1, 0), null));
    assertEquals(1, Retries.exitCode(ended("FAILED", 1, 0), null, Verdict.DONE));
    assertEquals(130, Retries.exitCode(ended("FAILED", 0, 2), null, Verdict.DONE));
  }

  @Test
  void retriesGrowByTheRetryRuleWithinTheUsersBounds() {
    Sizing last = new Sizing(100, 60);
    assertEquals(new Sizing(200, 60), Retries.next(Verdict.MEMORY, last, 80, 60, null, null));
    assertEquals(new Sizing(300, 90), Retries.next(Verdict.MEMORY, last, 300, 90, null, null));
    assertEquals(new Sizing(150, 60), Retries.next(Verdict.MEMORY, last, 80, 60, 150.0, null));
    assertNull(Retries.next(Verdict.MEMORY, last, 80, 60, 100.0, null), "cannot grow");
    assertEquals(new Sizing(100, 120), Retries.next(Verdict.TIME, last, 100, 30, null, null));
    assertEquals(new Sizing(100, 100), Retries.next(Verdict.TIME, last, 100, 30, null, 100.0));
    assertNull(Retries.next(Verdict.TIME, last, 100, 30, null, 60.0));
    assertEquals(last, Retries.next(Verdict.UNCHANGED, last, 500, 500, null, null));
    assertNull(Retries.next(Verdict.DONE, last, 500, 500, null, null));
  }

  @Test
  void theRunOfALauncherSlurmKilledIsSettledFromSlurmsWord() {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    assertTrue(Retries.launcherKilled(ended("FAILED", 0, 9)));
    assertTrue(Retries.launcherKilled(ended("NODE_FAIL", 0, 0)));
    assertFalse(Retries.launcherKilled(ended("FAILED", 137, 0)), "it exited: it settled");
    Sacct.Job accounted = new Sacct.Job("8", "OUT_OF_MEMORY", 0, 125, OptionalDouble.of(90),
        OptionalDouble.of(1.5), OptionalDouble.of(4));
    Settlement oom = Retries.orphan(ended("OUT_OF_MEMORY", 0, 125), accounted, 100, now);
    assertEquals(Outcome.OOM_KILLED, oom.outcome());
    assertEquals(new Usage(1.5, 100, 4), oom.actual(), "censored: at least the cap");
    assertEquals(137, oom.exitCode());
    assertEquals(Outcome.TIMED_OUT,
        Retries.orphan(ended("TIMEOUT", 0, 0), null, 100, now).outcome());
    Settlement lost = Retries.orphan(ended("NODE_FAIL", 0, 0), null, 100, now);
    assertEquals(Outcome.INTERRUPTED, lost.outcome());
    assertNull(lost.actual(), "no accounting: unmeasured");
    assertNull(lost.exitCode(), "Slurm lost it: no exit code");
    Settlement killed = Retries.orphan(ended("FAILED", 0, 9), null, 100, now);
    assertEquals(Outcome.INTERRUPTED, killed.outcome());
    assertEquals(137, killed.exitCode());
  }

  @Test
  void theFollowerReadsTheFirstAttemptAsSubmitWroteIt() {
    String run = io.forge.model.history.NewRun.newRunId();
    assertTrue(io.forge.model.history.NewRun.isRunId(run));
    Submitted first = new Submitted("42", run, new Sizing(86.5, 60));
    assertEquals(first, Submitted.parse(first.toString()));
    for (String bad : List.of("42:" + run + ":86.5", "x:" + run + ":1:1", "42:../etc:1:1",
        "42:" + run.toUpperCase(java.util.Locale.ROOT) + ":1:1")) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> Submitted.parse(bad), bad);
    }
  }
}
