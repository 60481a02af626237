package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Enforce mode sizing real processes in homes with a history. */
@EnabledOnOs(OS.LINUX)
class SizingIT {

  @TempDir Path home;

  private Launcher launcher() {
    return new Launcher(home);
  }

  private static String hog() {
    return Launcher.job("hog.py").toString();
  }

  private static double limit(Map<String, Object> row) {
    return ((Number) row.get("memory_limit_mb")).doubleValue();
  }

  @Test
  void doctorShowsTheSizingRuleAndABadTargetIsAOneLineUsageError() throws Exception {
    Launcher.Result r = launcher().env("FORGE_TARGET_FAILURE_RATE", "0.05").run("doctor",
        "--json");
    assertEquals("calibrated (target first-attempt failure rate 0.05)",
        io.forge.model.Json.readObject(r.stdout()).get("sizing"), r.stdout());
    Launcher.Result spec = launcher().env("FORGE_SIZING", "spec").run("doctor", "--json");
    assertEquals("spec (margin 1.5)", io.forge.model.Json.readObject(spec.stdout())
        .get("sizing"), spec.stdout());
    Launcher.Result bad = launcher().env("FORGE_TARGET_FAILURE_RATE", "2%").run("--", "true");
    assertEquals(2, bad.exitCode(), bad.stderr());
    assertTrue(bad.stderr().contains("FORGE_TARGET_FAILURE_RATE must be a rate in (0, 0.5]"),
        bad.stderr());
    assertEquals(1, bad.stderr().strip().lines().count(), bad.stderr());
  }

  /**
   * Regression: on a host whose model was trained on unrelated jobs, a new script was capped
   * at the model's guess (11 MB for a 150 MB Perl script) and killed on every run.
   */
  @Test
  void aNewScriptOnAHostWithAModelOfUnrelatedJobsRunsUnderItsStaticSlot() throws Exception {
    Path trace = ImportEvaluateIT.traces().resolve("chipseq").resolve("run1.trace.csv");
    assertEquals(0, launcher().run("import", "--format", "nextflow", trace.toString())
        .exitCode());
    Launcher.Result trained = launcher().run("train");
    assertEquals(0, trained.exitCode(), trained.stderr());

    Launcher.Result r = launcher().run("--mode", "enforce", "--", "python3", hog(), "150",
        "0.2");
    assertEquals(0, r.exitCode(), r.stderr());
    Map<String, Object> row = launcher().history().get(0);
    assertEquals("ok", row.get("outcome"));
    assertEquals("model", row.get("basis"), "the model did predict it");
    assertTrue(limit(row) >= 1024, "no evidence of this analysis: its static slot, not the"
        + " model's guess: " + row);
    assertTrue(((Number) row.get("actual_rss_mb")).doubleValue() >= 150, row.toString());
  }

  /**
   * An analysis whose history says 40 MB suddenly needs 200 MB: each kill raises the next cap
   * to the retry rule's, so it is never killed twice at the same cap and soon runs.
   */
  @Test
  void aKilledAnalysisIsNeverKilledTwiceAtTheSameCap() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(0, launcher().run("--quiet", "--", "python3", hog(), "40", "0.1")
          .exitCode());
    }
    List<Double> caps = new ArrayList<>();
    int exit = -1;
    for (int attempt = 0; attempt < 4 && exit != 0; attempt++) {
      Launcher.Result r = launcher().run("--mode", "enforce", "--", "python3", hog(), "200",
          "0.2");
      exit = r.exitCode();
      Map<String, Object> row = launcher().history().get(0);
      caps.add(limit(row));
      if (exit != 0) {
        assertEquals(137, exit, r.stderr());
        assertEquals("oom_killed", row.get("outcome"), row.toString());
      }
    }
    assertEquals(0, exit, "ran within four attempts; caps " + caps);
    assertTrue(caps.size() >= 2, "the 40 MB history capped the first attempt: " + caps);
    for (int i = 1; i < caps.size(); i++) {
      assertTrue(caps.get(i) >= 2 * caps.get(i - 1) - 1e-6,
          "each cap at least twice the one killed before it: " + caps);
    }
  }
}
