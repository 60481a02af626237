package io.forge.launcher.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The batch script of one attempt: it runs the command through {@code forge-launch run} inside
 * the allocation, with the run id and the limits {@code submit} chose, so the job is capped in
 * its own cgroup under Slurm's, measured, recorded and settled as any launch is.
 */
final class BatchScript {

  private BatchScript() {}

  /**
   * The script's text.
   *
   * @param launcher how a node starts {@code forge-launch} (the same path as here: Forge's jar
   *     lives on a file system the nodes share, as the job's files do)
   * @param reportFile where the launcher writes its JSON report for {@code submit} to read
   * @param inputs the inputs the job was sized by, named so that the row the node records has
   *     the features it was predicted from
   */
  static String of(List<String> launcher, String runId, Retries.Sizing sizing,
      String analysisId, Path reportFile, List<Path> inputs, List<String> command) {
    List<String> line = new ArrayList<>(launcher);
    line.addAll(List.of("run", "--mode", "enforce", "--run-id", runId, "--memory-limit-mb",
        String.format(Locale.ROOT, "%.1f", sizing.capMb()), "--timeout-s",
        String.format(Locale.ROOT, "%.1f", sizing.timeoutS()), "--analysis-id", analysisId,
        "--json-report", reportFile.toString()));
    for (Path input : inputs) {
      line.addAll(List.of("--input", input.toAbsolutePath().toString()));
    }
    line.add("--");
    line.addAll(command);
    StringBuilder s = new StringBuilder("#!/bin/sh\n")
        .append("# Written by forge-launch submit: run ").append(runId).append('\n')
        .append("exec");
    for (String word : line) {
      s.append(' ').append(quote(word));
    }
    return s.append('\n').toString();
  }

  /** {@code word} as one shell word, whatever it holds. */
  static String quote(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_./=:,+@%-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
