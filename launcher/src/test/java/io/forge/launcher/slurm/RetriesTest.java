package io.forge.launcher.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.forge.launcher.slurm.Retries.Report;
import io.forge.launcher.slurm.Retries.Sizing;
import io.forge.launcher.slurm.Retries.Verdict;
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
    assertEquals(Verdict.UNCHANGED, Retries.verdict(ended("PREEMPTED", 0, 0), ok));
    assertEquals(Verdict.MEMORY, Retries.verdict(ended("OUT_OF_MEMORY", 0, 125), null));
    assertEquals(Verdict.TIME, Retries.verdict(ended("TIMEOUT", 0, 15), null));
    assertEquals(Verdict.DONE, Retries.verdict(ended("CANCELLED", 0, 15), null));
    assertEquals(143, Retries.exitCode(ended("CANCELLED", 0, 0), null, Verdict.DONE));
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
}
