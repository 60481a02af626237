package io.forge.launcher.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.ScriptText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandParserTest {

  @TempDir Path dir;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("cluster.py"), "import scanpy as sc\n");
    Files.writeString(dir.resolve("de.R"), "library(DESeq2)\n");
    Files.write(dir.resolve("cells.csv"), new byte[1024 * 1024]);
    Files.createDirectories(dir.resolve("fastq"));
    Files.write(dir.resolve("fastq/a.fq"), new byte[512 * 1024]);
    Files.write(dir.resolve("fastq/b.fq"), new byte[512 * 1024]);
  }

  @Test
  void pythonScriptAndInputsAreFoundAndFoldersSummed() {
    JobSpec spec = CommandParser.parse(
        List.of("python3", "-u", "cluster.py", "cells.csv", "fastq", "--k", "10"),
        CommandParser.Overrides.none(), dir);
    assertEquals("cluster.py", spec.job().analysisId());
    assertEquals("python", spec.job().runtime());
    assertEquals(dir.resolve("cluster.py"), spec.script());
    assertEquals(ScriptText.Status.OK, spec.job().script().status());
    assertEquals(List.of(1.0, 1.0), spec.job().inputSizesMb());
  }

  @Test
  void aFolderCountsTheFilesItsLinksNameButNoLinkedFolderTwice() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("linked"));
    Files.createSymbolicLink(folder.resolve("cells.csv"), dir.resolve("cells.csv"));
    Files.createSymbolicLink(folder.resolve("fastq"), dir.resolve("fastq"));
    Files.write(folder.resolve("own.txt"), new byte[1024 * 1024]);
    assertEquals(2.0, CommandParser.sizeMb(folder));
    assertEquals(0.0, CommandParser.sizeMb(dir.resolve("no-such-folder")));
  }

  @Test
  void rscriptAndOptionValuesThatNameFiles() {
    JobSpec spec = CommandParser.parse(List.of("Rscript", "de.R", "--counts=cells.csv"),
        CommandParser.Overrides.none(), dir);
    assertEquals("de.R", spec.job().analysisId());
    assertEquals("r", spec.job().runtime());
    assertEquals(1, spec.job().inputCount());
  }

  @Test
  void overridesWin() {
    JobSpec spec = CommandParser.parse(List.of("python3", "cluster.py", "cells.csv"),
        new CommandParser.Overrides("nightly-cluster", "pypy", List.of(Path.of("fastq"))), dir);
    assertEquals("nightly-cluster", spec.job().analysisId());
    assertEquals("pypy", spec.job().runtimeName());
    assertEquals(List.of(1.0), spec.job().inputSizesMb());
    assertThrows(IllegalArgumentException.class,
        () -> CommandParser.parse(List.of("python3", "cluster.py"),
            new CommandParser.Overrides(null, null, List.of(Path.of("missing"))), dir));
  }

  @Test
  void aCommandWithoutAScriptIsScannedFromItsCommandLine() {
    JobSpec spec = CommandParser.parse(List.of("sort", "--parallel=4", "cells.csv"),
        CommandParser.Overrides.none(), dir);
    assertEquals("sort", spec.job().analysisId());
    assertNull(spec.script());
    assertEquals(ScriptText.Status.OK, spec.job().script().status());
    assertTrue(spec.job().script().text().contains("--parallel=4"));
    assertEquals(1, spec.job().inputCount());
  }

  @Test
  void inlineCodeAndModules() {
    JobSpec c = CommandParser.parse(List.of("bash", "-c", "gzip -9 cells.csv"),
        CommandParser.Overrides.none(), dir);
    assertEquals("shell", c.job().runtime());
    assertEquals("gzip -9 cells.csv", c.job().script().text());
    JobSpec m = CommandParser.parse(List.of("python3", "-m", "http.server"),
        CommandParser.Overrides.none(), dir);
    assertEquals("http.server", m.job().analysisId());
    JobSpec j = CommandParser.parse(List.of("java", "-Xmx1g", "-jar", "cells.csv"),
        CommandParser.Overrides.none(), dir);
    assertEquals("jvm", j.job().runtime());
    assertEquals("cells.csv", j.job().analysisId());
    assertEquals(ScriptText.Status.BINARY, j.job().script().status());
  }

  /** Regression: every one-liner shared one analysis id, so one's history capped the others. */
  @Test
  void eachOneLinerIsAnAnalysisNamedFromItsCode() {
    String a = CommandParser.parse(List.of("python3", "-c", "import time; time.sleep(1)"),
        CommandParser.Overrides.none(), dir).job().analysisId();
    String b = CommandParser.parse(List.of("python3", "-c", "x = bytearray(10**9)"),
        CommandParser.Overrides.none(), dir).job().analysisId();
    String again = CommandParser.parse(List.of("python3", "-u", "-c",
        "import time; time.sleep(1)"), CommandParser.Overrides.none(), dir).job().analysisId();
    assertTrue(a.matches("python3 -c [0-9a-f]{12}"), a);
    assertNotEquals(a, b);
    assertEquals(a, again, "the same code is the same analysis");
    assertTrue(CommandParser.parse(List.of("bash", "-c", "sort big.txt"),
        CommandParser.Overrides.none(), dir).job().analysisId().startsWith("bash -c "));
    assertTrue(CommandParser.parse(List.of("Rscript", "-e", "1+1"),
        CommandParser.Overrides.none(), dir).job().analysisId().startsWith("Rscript -e "));
    assertEquals("mine", CommandParser.parse(List.of("python3", "-c", "pass"),
        new CommandParser.Overrides("mine", null, List.of()), dir).job().analysisId());
  }

  @Test
  void anExecutableScriptIsReadThroughItsShebang() throws Exception {
    Path tool = dir.resolve("tool");
    Files.writeString(tool, "#!/usr/bin/env -S python3 -u\nimport numpy\n");
    JobSpec spec = CommandParser.parse(List.of("./tool", "cells.csv"),
        CommandParser.Overrides.none(), dir);
    assertEquals("python", spec.job().runtime());
    assertEquals("tool", spec.job().analysisId());
    assertEquals(1, spec.job().inputCount());
    assertEquals("bash", CommandParser.parseShebang("#!/bin/bash -e"));
    assertNull(CommandParser.parseShebang("import os"));
  }

  @Test
  void emptyCommandIsAUsageError() {
    assertThrows(IllegalArgumentException.class,
        () -> CommandParser.parse(List.of(), CommandParser.Overrides.none(), dir));
  }
}
