package io.forge.model.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import io.forge.model.history.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path home;

  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00.123Z");

  @Test
  void aSpooledRunRoundTripsEveryFieldIncludingAwkwardText() {
    Spool spool = new Spool(home);
    NewRun base = TestRuns.newRun("weird = name: #1 ü", "import torch\n", 12.5, T0);
    NewRun run = new NewRun(base.runId(), base.analysisId(), base.features(), base.prediction(),
        "enforce", 300.0, 60.0, "cgroup-v1", "python3 -c \"print('a\\nb')\"\ttab \\ back",
        "launcher", "label", null, T0);
    spool.record(run);
    List<Spool.Entry> entries = spool.entries(new ArrayList<>());
    assertEquals(1, entries.size());
    Spool.Entry e = entries.get(0);
    assertEquals(run, e.run());
    assertNull(e.settlement());
    assertEquals(ProcessHandle.current().pid(), e.recorder().pid());

    Settlement s = new Settlement(new Usage(1.5, 200, 2.25), Outcome.OOM_KILLED, 137,
        T0.plusSeconds(3));
    spool.settle(run, s);
    List<Spool.Entry> again = spool.entries(new ArrayList<>());
    assertEquals(1, again.size(), "the settled entry replaces the running one");
    assertEquals(s, again.get(0).settlement());
  }

  @Test
  void anUnreadableSpoolFileIsReportedNotFatal() throws Exception {
    Spool spool = new Spool(home);
    Files.createDirectories(spool.dir());
    Files.writeString(spool.dir().resolve("00000000-broken.run"), "run_id=x\n");
    spool.record(TestRuns.newRun("fine.py", "", 1, T0));
    List<Path> unreadable = new ArrayList<>();
    assertEquals(1, spool.entries(unreadable).size());
    assertEquals(1, unreadable.size());
  }

  /** A spool file written by the Forge before the columns were shared with the table. */
  @Test
  void aSpoolFileOfTheEarlierFormatIsStillRead() throws Exception {
    Spool spool = new Spool(home);
    Files.createDirectories(spool.dir());
    Files.writeString(spool.dir().resolve("0000abcd-7f1c.run"), String.join("\n",
        "actual.cpu_seconds=0.11", "actual.peak_rss_mb=10.83203125",
        "actual.wall_seconds=0.118509279", "analysis_id=wordfreq.py", "basis=prior",
        "command=python3 wordfreq.py in.txt", "confidence=0.025", "exit_code=0",
        "high.cpu_seconds=1200.0", "high.peak_rss_mb=20480.0", "high.wall_seconds=2400.0",
        "host=node7", "input_count=1", "input_max_mb=20.5", "input_total_mb=20.5",
        "low.cpu_seconds=3.0", "low.peak_rss_mb=51.2", "low.wall_seconds=6.0", "mode=dry-run",
        "outcome=ok", "pid=4242", "predicted.cpu_seconds=60.0", "predicted.peak_rss_mb=1024.0",
        "predicted.wall_seconds=120.0", "predicted_at_ms=1764400000000",
        "run_id=7f1c0000-0000-4000-8000-000000000000", "runtime=python",
        "script_features=libs\\=pandas\\:1;parallel_hints\\=0;declared_workers\\=0;"
            + "script_bytes\\=900;script_lines\\=30;status\\=OK",
        "settled_at_ms=1764400001000", "source=launcher", "started_ms=1764399999000", ""));
    List<Path> unreadable = new ArrayList<>();
    List<Spool.Entry> entries = spool.entries(unreadable);
    assertEquals(List.of(), unreadable);
    Spool.Entry e = entries.get(0);
    assertEquals("wordfreq.py", e.run().analysisId());
    assertEquals(1024.0, e.run().prediction().peakRssMb());
    assertEquals(51.2, e.run().prediction().rssInterval().low());
    assertEquals(Instant.ofEpochMilli(1764400000000L), e.run().predictedAt());
    assertEquals(1, e.run().features().script().tokens("pandas"));
    assertEquals(new Usage(0.11, 10.83203125, 0.118509279), e.settlement().actual());
    assertEquals(Outcome.OK, e.settlement().outcome());
    assertEquals(4242, e.recorder().pid());
    assertEquals("node7", e.recorder().host());
  }

  @Test
  void settledRunsOfAnAnalysisAreReadFromTheFirstLinesOfTheirFiles() throws Exception {
    Spool spool = new Spool(home);
    String id = "weird = name: #1 \u00fc\\";
    NewRun ok = TestRuns.newRun(id, "", 1, T0);
    NewRun killed = TestRuns.capped(id, 250, T0);
    NewRun running = TestRuns.newRun(id, "", 1, T0);
    NewRun other = TestRuns.newRun("other.py", "", 1, T0);
    for (NewRun r : List.of(ok, killed, running, other)) {
      spool.record(r);
    }
    spool.settle(ok, new Settlement(new Usage(1.5, 200, 2.25), Outcome.OK, 0, T0.plusSeconds(3)));
    spool.settle(killed, new Settlement(new Usage(0.5, 300, 1), Outcome.OOM_KILLED, 137,
        T0.plusSeconds(4)));
    spool.settle(other, new Settlement(new Usage(9, 9, 9), Outcome.OK, 0, T0.plusSeconds(5)));

    String text = Files.readString(spool.dir().resolve(Spool.fileName(ok)));
    assertTrue(text.startsWith("run_id=" + ok.runId() + "\nanalysis_id="), text);

    java.util.Map<String, Spool.Settled> cache = new java.util.HashMap<>();
    List<Spool.Settled> settled = new ArrayList<>(spool.settledOf(id, cache));
    settled.sort(java.util.Comparator.comparing(Spool.Settled::settledAt));
    assertEquals(List.of(
        new Spool.Settled(ok.runId(), id, T0.plusSeconds(3), new Usage(1.5, 200, 2.25), 0),
        new Spool.Settled(killed.runId(), id, T0.plusSeconds(4), null, 250)), settled,
        "a censored run has no actual to count but the cap it died at; a running one is not"
            + " listed");
    assertEquals(2, cache.size(), "settled files are remembered, running ones are not");
    Files.writeString(spool.dir().resolve(Spool.fileName(ok)), "not read again");
    assertEquals(2, spool.settledOf(id, cache).size(), "a remembered file is not read again");
  }

  @Test
  void settledRunsInAnyOtherFormAreReadInFull() throws Exception {
    Spool spool = new Spool(home);
    NewRun earlier = TestRuns.newRun("wordfreq.py", "", 1, T0);
    NewRun stored = TestRuns.newRun("wordfreq.py", "", 1, T0);
    spool.settle(earlier, new Settlement(new Usage(0.11, 10.8, 0.12), Outcome.OK, 0,
        T0.plusSeconds(1)));
    spool.settle(stored, new Settlement(new Usage(1, 2, 3), Outcome.FAILED, 1,
        T0.plusSeconds(2)));
    // The order of the previous release: the settlement's columns last.
    Path first = spool.dir().resolve(Spool.fileName(earlier));
    List<String> lines = new ArrayList<>(Files.readAllLines(first));
    List<String> head = new ArrayList<>(lines.subList(2, SpoolFormat.HEAD.size()));
    lines.removeAll(head);
    lines.addAll(head);
    Files.write(first, lines);
    // What Properties.store writes: a date comment, and ':' is a separator there too.
    Path second = spool.dir().resolve(Spool.fileName(stored));
    Files.writeString(second, "#Mon Nov 30 10:00:00 UTC 2026\n"
        + Files.readString(second).replaceFirst("=", ":"));

    List<Spool.Settled> settled = new ArrayList<>(
        spool.settledOf("wordfreq.py", new java.util.HashMap<>()));
    settled.sort(java.util.Comparator.comparing(Spool.Settled::settledAt));
    assertEquals(List.of(
        new Spool.Settled(earlier.runId(), "wordfreq.py", T0.plusSeconds(1),
            new Usage(0.11, 10.8, 0.12), 0),
        new Spool.Settled(stored.runId(), "wordfreq.py", T0.plusSeconds(2),
            new Usage(1, 2, 3), 0)), settled);
  }
}
