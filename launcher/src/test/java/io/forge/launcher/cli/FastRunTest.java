package io.forge.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

class FastRunTest {

  private static RunCommand picocli(String... args) {
    PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
    CommandLine cli = new CommandLine(new ForgeLaunch(Map.of(), nowhere, nowhere));
    CommandLine.ParseResult result = cli.parseArgs(ForgeLaunch.withDefaultRun(args));
    return (RunCommand) result.subcommand().commandSpec().userObject();
  }

  @Test
  void knowsExactlyTheOptionsPicocliDeclaresForRun() {
    CommandLine run = new CommandLine(new ForgeLaunch(Map.of(), System.out, System.err))
        .getSubcommands().get("run");
    Set<String> declared = new HashSet<>();
    for (OptionSpec o : run.getCommandSpec().options()) {
      if (!o.usageHelp() && !o.versionHelp()) {
        declared.add(o.longestName());
      }
    }
    Set<String> fast = new HashSet<>(FastRun.VALUE_OPTIONS);
    fast.addAll(FastRun.FLAGS);
    assertEquals(declared, fast);
  }

  @Test
  void readsTheSameValuesAsPicocli() {
    List<String[]> corpus = List.of(
        new String[] {"--", "true"},
        new String[] {"run", "--quiet", "--", "python3", "x.py", "--mode", "a"},
        new String[] {"--mode", "enforce", "--force", "--", "sort", "big.txt"},
        new String[] {"--mode=deterministic", "--memory-limit-mb", "512", "--timeout-s=30",
            "--", "sleep", "1"},
        new String[] {"--analysis-id", "nightly", "--runtime", "pypy", "--input", "a.csv",
            "--input=b.csv", "--json-report", "r.json", "--", "python3", "-u", "x.py"},
        new String[] {"--mode", "enforce", "--run-id", "0b5e8c1a-3f2d-4e6a-9c1b-2d3e4f5a6b7c",
            "--memory-limit-mb", "300", "--timeout-s", "120", "--", "python3", "x.py"});
    for (String[] args : corpus) {
      RunCommand fast = FastRun.parse(args).orElseThrow();
      RunCommand slow = picocli(args);
      String what = String.join(" ", args);
      assertEquals(slow.mode, fast.mode, what);
      assertEquals(slow.analysisId, fast.analysisId, what);
      assertEquals(slow.runtime, fast.runtime, what);
      assertEquals(slow.inputs, fast.inputs, what);
      assertEquals(slow.memoryLimitMb, fast.memoryLimitMb, what);
      assertEquals(slow.timeoutS, fast.timeoutS, what);
      assertEquals(slow.force, fast.force, what);
      assertEquals(slow.jsonReport, fast.jsonReport, what);
      assertEquals(slow.quiet, fast.quiet, what);
      assertEquals(slow.runId, fast.runId, what);
      assertEquals(slow.command, fast.command, what);
    }
  }

  @Test
  void leavesEverythingUnusualToPicocli() {
    for (String[] args : List.of(
        new String[] {"--help"},
        new String[] {"run", "--help", "--", "x"},
        new String[] {"--frobnicate", "--", "true"},
        new String[] {"--timeout-s", "soon", "--", "true"},
        new String[] {"--mode", "--", "true"},
        new String[] {"python3", "x.py"},
        new String[] {"--quiet", "--"},
        new String[] {"stats", "--", "x"})) {
      assertTrue(FastRun.parse(args).isEmpty(), String.join(" ", args));
    }
  }
}
