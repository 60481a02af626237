package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI importing real Nextflow traces (test resources) and evaluating on them. */
class ImportEvaluateIT {

  @TempDir Path home;

  /** Real traces kept in this module's test resources (see traces/README.md there). */
  static Path traces() throws Exception {
    return Path.of(ImportEvaluateIT.class.getResource("/traces").toURI());
  }

  @Test
  @SuppressWarnings("unchecked")
  void importThenEvaluatePrintsTheDocumentedJson() throws Exception {
    Launcher launcher = new Launcher(home);
    Path chipseq = traces().resolve("chipseq");
    Launcher.Result imported = launcher.run("import", "--format", "nextflow", "--label",
        "chipseq", "--json", chipseq.resolve("run1.trace.csv").toString());
    assertEquals(0, imported.exitCode(), imported.stderr());
    Launcher.Result rerun = launcher.run("import", "--format", "nextflow", "--label",
        "chipseq-rerun", "--json", chipseq.resolve("run2.trace.csv").toString());
    assertEquals(0, rerun.exitCode(), rerun.stderr());
    List<Object> files = new ArrayList<>(
        (List<Object>) Json.mapper().readValue(imported.stdout(), List.class));
    files.addAll((List<Object>) Json.mapper().readValue(rerun.stdout(), List.class));
    assertEquals(2, files.size());
    int total = 0;
    for (Object f : files) {
      total += ((Number) ((Map<String, Object>) f).get("imported")).intValue();
    }
    assertTrue(total > 200, "imported " + total);
    Launcher.Result again = launcher.run("import", "--format", "nextflow", "--label", "chipseq",
        chipseq.resolve("run1.trace.csv").toString());
    assertTrue(again.stdout().contains("imported 0, already present"), again.stdout());

    Launcher.Result eval = launcher.run("evaluate", "--json", "--retrain-every", "400");
    assertEquals(0, eval.exitCode(), eval.stderr());
    Map<String, Object> r = Json.readObject(eval.stdout());
    assertEquals("live", r.get("protocol"));
    assertTrue(((Number) r.get("runs_evaluated")).intValue() > 100);
    Map<String, Object> overall = (Map<String, Object>) r.get("overall");
    Map<String, Object> targets = (Map<String, Object>) overall.get("targets");
    for (String t : List.of("peak_rss_mb", "cpu_seconds", "wall_seconds")) {
      Map<String, Object> m = (Map<String, Object>) targets.get(t);
      for (String k : List.of("r2", "r2_log", "mdape_pct", "interval_coverage")) {
        assertTrue(m.containsKey(k), t + "." + k);
      }
    }
    Map<String, Object> sizing = (Map<String, Object>) overall.get("sizing");
    for (String p : List.of("forge", "requested", "static", "max_history", "witt_lr")) {
      Map<String, Object> s = (Map<String, Object>) sizing.get(p);
      assertTrue(s.containsKey("wastage_gbh") && s.containsKey("failures")
          && s.containsKey("attempts"), p + ": " + s);
    }
    assertTrue(((Map<String, Object>) r.get("groups")).containsKey("chipseq"));
    Map<String, Object> group = (Map<String, Object>) ((Map<String, Object>) r.get("groups"))
        .get("chipseq");
    assertFalse(((Map<String, Object>) group.get("analyses")).isEmpty(), "per-analysis scores");

    Launcher.Result held = launcher.run("evaluate", "--json", "--holdout-label",
        "chipseq-rerun", "--retrain-every", "400");
    assertEquals(0, held.exitCode(), held.stderr());
    Map<String, Object> h = Json.readObject(held.stdout());
    assertEquals("chipseq-rerun", h.get("holdout_label"));
    assertEquals(List.of("chipseq-rerun"),
        new ArrayList<>(((Map<String, Object>) h.get("groups")).keySet()));
    assertTrue(((Number) h.get("runs_evaluated")).intValue() > 100, held.stdout());

    Launcher.Result paper = launcher.run("evaluate", "--json", "--protocol", "paper",
        "--retrain-every", "400");
    assertEquals(0, paper.exitCode(), paper.stderr());
    assertEquals("paper", Json.readObject(paper.stdout()).get("protocol"));
  }
}
