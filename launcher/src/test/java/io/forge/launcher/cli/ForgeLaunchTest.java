package io.forge.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.run.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgeLaunchTest {

  @TempDir Path home;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ForgeLaunch.execute(args, Map.of("FORGE_HOME", home.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runIsTheDefaultCommand() {
    assertArrayEquals(new String[] {"run", "--", "true"},
        ForgeLaunch.withDefaultRun(new String[] {"--", "true"}));
    assertArrayEquals(new String[] {"stats", "--json"},
        ForgeLaunch.withDefaultRun(new String[] {"stats", "--json"}));
    for (String sub : new String[] {"predict", "train", "retrain", "history", "doctor", "timer",
        "serve", "attach", "import", "ingest", "evaluate", "batch", "--help"}) {
      assertArrayEquals(new String[] {sub}, ForgeLaunch.withDefaultRun(new String[] {sub}),
          sub + " is a subcommand, not a command to wrap");
    }
  }

  @Test
  void unknownOptionIsAOneLineUsageError() {
    assertEquals(ExitCodes.USAGE, run("--frobnicate", "--", "true"));
    assertTrue(err().startsWith("forge: Unknown option: '--frobnicate'"), err());
    assertEquals(1, err().strip().lines().count());
  }

  @Test
  void aCommandWithOptionsButNoDashesGetsAHint() {
    assertEquals(ExitCodes.USAGE, run("python3", "-u", "x.py"));
    assertTrue(err().contains("put -- before the command"), err());
  }

  @Test
  void missingCommandIsAUsageError() {
    assertEquals(ExitCodes.USAGE, run("run", "--mode", "enforce"));
    assertTrue(err().contains("no command to run"), err());
  }

  @Test
  void badModeNamesTheValidOnes() {
    assertEquals(ExitCodes.USAGE, run("--mode", "fast", "--", "true"));
    assertTrue(err().contains("dry-run, enforce, deterministic"), err());
  }

  @Test
  void helpListsTheExitCodes() {
    assertEquals(0, run("run", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("137  killed by Forge's memory cap"), help);
    assertTrue(help.contains("--memory-limit-mb"), help);
    assertTrue(help.contains("FORGE_ENFORCEMENT"), help);
  }

  private String help(String... command) {
    out.reset();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command));
    args.add("--help");
    assertEquals(0, run(args.toArray(new String[0])), String.join(" ", command));
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Regression: every command's help ended in the wrapped-job exit codes and all variables,
   * and picocli broke the long footer lines mid-list ({@code FORGE_MODE,\nFORGE_HOST_BUDGET_MB,}).
   */
  @Test
  void eachHelpListsOnlyTheExitCodesAndVariablesItsCommandConcernsInLinesThatFit() {
    String stats = help("stats");
    assertTrue(stats.contains("125  Forge's own failure"), stats);
    assertFalse(stats.contains("137"), "stats wraps no job: " + stats);
    assertFalse(stats.contains("FORGE_ENFORCEMENT"), stats);
    assertTrue(stats.contains("FORGE_DB_URL"), stats);
    assertTrue(help("batch").contains("123  one or more jobs failed"));
    assertFalse(help("timer", "install").contains("FORGE_"), "timer reads no variable");
    for (String[] command : new String[][] {{}, {"run"}, {"predict"}, {"train"}, {"retrain"},
        {"stats"}, {"history"}, {"doctor"}, {"timer"}, {"timer", "install"}, {"serve"},
        {"attach"}, {"import"}, {"evaluate"}, {"batch"}}) {
      String text = help(command);
      String footer = text.contains("Exit codes:")
          ? text.substring(text.indexOf("Exit codes:")) : "";
      for (String line : text.split("\n")) {
        assertTrue(line.length() <= 80, String.join(" ", command) + ": " + line);
        assertFalse(line.matches(".*\\d:\\s*$"), "a time broken in two in "
            + String.join(" ", command) + ": '" + line + "'");
      }
      for (String line : footer.split("\n")) {
        assertFalse(line.matches(".*,\\s*$"), "a footer line broken mid-list in "
            + String.join(" ", command) + ": '" + line + "'");
      }
    }
  }

  @Test
  void theTopLevelUsageShowsHowToWrapACommand() {
    String top = help();
    assertTrue(top.startsWith("Usage: forge-launch [run] [OPTIONS] -- CMD [ARGS...]"), top);
  }

  @Test
  void noArgumentsAtAllIsAUsageErrorThatPrintsTheUsage() {
    assertEquals(ExitCodes.USAGE, run());
    assertTrue(err().startsWith("Usage: forge-launch [run] [OPTIONS] -- CMD"), err());
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandPrintsTheVersion() {
    for (String command : new String[] {"run", "stats", "batch"}) {
      out.reset();
      assertEquals(0, run(command, "--version"));
      assertEquals(ForgeLaunch.VERSION, out.toString(StandardCharsets.UTF_8).strip(), command);
    }
  }

  @Test
  void aCorruptDatabaseDoesNotStopALaunchAndIsReportedInOneLineWhereItIsRead() throws Exception {
    java.nio.file.Files.write(home.resolve("forge.mv.db"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Path marker = home.resolve("ran");
    assertEquals(0, run("--quiet", "--", "touch", marker.toString()),
        "launches record into the spool, not the database");
    assertTrue(java.nio.file.Files.exists(marker));
    assertEquals(1, new io.forge.model.spool.Spool(home).size(), "the run is kept");
    assertEquals(ExitCodes.FORGE_FAILURE, run("history"));
    assertTrue(err().contains("corrupt"), err());
    assertEquals(1, err().strip().lines().count(), err());
    assertEquals(1, new io.forge.model.spool.Spool(home).size(), "nothing recorded is lost");
  }

  @Test
  @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
  void predictShowsTheCapEnforceWouldSetAndHistoryShowsCpuModeCapAndSubSecondWalls()
      throws Exception {
    Path script = home.resolve("step.py");
    java.nio.file.Files.writeString(script, "import time\ntime.sleep(0.2)\n");
    assertEquals(0, run("--quiet", "--", "python3", script.toString()));
    out.reset();
    assertEquals(0, run("predict", "--script", script.toString()));
    String predicted = out.toString(StandardCharsets.UTF_8);
    assertTrue(predicted.contains("basis history"), predicted);
    assertTrue(predicted.matches("(?s).*enforce would set: cap \\d+ MB, timeout 60 s.*"),
        predicted);
    out.reset();
    assertEquals(0, run("history"));
    String history = out.toString(StandardCharsets.UTF_8);
    String[] lines = history.split("\n");
    assertTrue(lines[0].matches(".*mode +cap_mb +pred_cpu +cpu +pred_rss +rss_mb +pred_wall"
        + " +wall +outcome.*"), lines[0]);
    // Two decimals, whatever a loaded machine makes of the 0.2 s.
    assertTrue(lines[1].matches(".*step\\.py +python +dry-run +- +\\S+ +\\d+\\.\\d\\ds"
        + " +\\d+ +\\d+ +\\S+ +\\d+\\.\\d\\ds +ok"), "the 0.2 s run with its digits: " + lines[1]);
  }

  @Test
  void predictPrintsThePredictionJsonAndRetrainSaysWhyItWaits() throws Exception {
    Path script = home.resolve("cluster.py");
    java.nio.file.Files.writeString(script, "import scanpy as sc\nsc.pp.log1p(a)\n");
    Path input = home.resolve("cells.csv");
    java.nio.file.Files.write(input, new byte[2 * 1024 * 1024]);
    assertEquals(0, run("predict", "--script", script.toString(), "--input",
        input.toString(), "--json"));
    java.util.Map<String, Object> p =
        io.forge.model.Json.readObject(out.toString(StandardCharsets.UTF_8));
    assertEquals("prior", p.get("basis"), "a fresh home has neither model nor history");
    assertEquals(1024.0, ((Number) p.get("peak_rss_mb")).doubleValue(), "python's prior");
    @SuppressWarnings("unchecked")
    Map<String, Object> enforce = (Map<String, Object>) p.get("enforce");
    assertEquals("static", enforce.get("source"), "a prior gets the static limits");
    assertEquals(8192.0, ((Number) enforce.get("memory_limit_mb")).doubleValue());
    assertEquals(0, run("retrain", "--if-ready"));
    assertTrue(err().contains("only 0 settled runs; retraining waits for 100"), err());
    assertEquals(ExitCodes.USAGE, run("predict", "--script", home.resolve("nope.py")
        .toString()));
  }

  @Test
  void unwritableHomeIsAForgeFailureInOneLine() {
    int code = ForgeLaunch.execute(new String[] {"stats"},
        Map.of("FORGE_HOME", "/proc/forge-cannot-live-here"),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(ExitCodes.FORGE_FAILURE, code);
    assertTrue(err().contains("FORGE_HOME"), err());
  }

  /** What users typed reaches the terminal with its control characters made visible. */
  @Test
  void controlCharactersOfUsersNeverReachTheTerminalRaw() throws Exception {
    String id = "\u001b[31mr\u0000\u0007\u0085n\u202ee\u2067é"; // fits its column
    assertEquals(0, run("--quiet", "--analysis-id", id, "--", "true"));
    out.reset();
    assertEquals(0, run("history"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\\x1b[31mr\\x00\\x07\\u0085n\\u202ee\\u2067é"), text);
    assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x85
        || c == 0x202e || c == 0x2067), text);
    out.reset();
    assertEquals(0, run("history", "--json"));
    String json = out.toString(StandardCharsets.UTF_8);
    assertTrue(json.chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x202e), json);
    assertEquals(id, ((java.util.List<?>) io.forge.model.Json.mapper().readValue(json,
        java.util.List.class)).stream().map(r -> ((Map<?, ?>) r).get("analysis_id"))
        .findFirst().orElseThrow(), "the JSON still says exactly what was stored");
  }

  @Test
  void aSequenceSplitAcrossWritesIsStillRecognised() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream p = PrintableStream.over(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    byte[] rlo = "a\u202eb\u2014\u00a0c".getBytes(StandardCharsets.UTF_8);
    for (byte b : rlo) {
      p.write(b);
      p.flush();
    }
    assertEquals("a\\u202eb\u2014\u00a0c", bytes.toString(StandardCharsets.UTF_8),
        "U+202E escaped; an em dash and a no-break space, whose first bytes are those of"
            + " controls, kept");
  }
}
