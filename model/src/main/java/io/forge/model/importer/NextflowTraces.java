package io.forge.model.importer;

import static io.forge.model.importer.Traces.EXAMPLES;
import static io.forge.model.importer.Traces.MB;
import static io.forge.model.importer.Traces.columns;
import static io.forge.model.importer.Traces.field;
import static io.forge.model.importer.Traces.first;
import static io.forge.model.importer.Traces.instant;
import static io.forge.model.importer.Traces.key;
import static io.forge.model.importer.Traces.separator;
import static io.forge.model.importer.Traces.split;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Nextflow traces ({@code trace.txt}/{@code .csv}): tab, comma or semicolon separated (from the
 * header), with or without the optional columns, raw numbers or human units. The analysis is the
 * process; input size {@code rchar}, else {@code read_bytes}; CPU-seconds {@code realtime} ×
 * {@code %cpu}; peak RSS {@code peak_rss}, else {@code rss}; the requested {@code memory} kept.
 */
final class NextflowTraces {

  private NextflowTraces() {}

  static TraceFile read(Path file, List<String> lines) {
    char sep = separator(lines.get(0));
    String[] header = split(lines.get(0), sep);
    Map<String, Integer> cols = columns(header);
    if (!cols.containsKey("process") && !cols.containsKey("name")) {
      throw new IllegalArgumentException(file + ": not a Nextflow trace (no process or name"
          + " column in the header)");
    }
    if (!cols.containsKey("peak_rss") && !cols.containsKey("rss")) {
      throw new IllegalArgumentException(file + ": the trace has no peak_rss or rss column;"
          + " enable them in the trace fields");
    }
    List<ImportedRun> runs = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    int failed = 0;
    int malformed = 0;
    Instant fallback = Instant.EPOCH;
    for (int ln = 1; ln < lines.size(); ln++) {
      String line = lines.get(ln);
      if (line.isBlank()) {
        continue;
      }
      String[] row = split(line, sep);
      String problem = null;
      if (row.length != header.length) {
        problem = "expected " + header.length + " fields, found " + row.length;
      }
      String status = problem == null ? field(row, cols, "status") : null;
      if (problem == null && status != null && !status.equals("COMPLETED")
          && !status.equals("CACHED")) {
        if (status.equals("FAILED") || status.equals("ABORTED")) {
          failed++;
          continue;
        }
        problem = "unknown status '" + status + "'";
      }
      OptionalDouble realtime = problem == null
          ? first(Units.seconds(field(row, cols, "realtime"), 0.001),
              Units.seconds(field(row, cols, "duration"), 0.001))
          : OptionalDouble.empty();
      OptionalDouble peak = problem == null
          ? first(Units.bytes(field(row, cols, "peak_rss")), Units.bytes(field(row, cols, "rss")))
          : OptionalDouble.empty();
      OptionalDouble cpuPct = problem == null ? Units.number(field(row, cols, "%cpu"))
          : OptionalDouble.empty();
      if (problem == null && realtime.isEmpty()) {
        problem = "no realtime";
      } else if (problem == null && peak.isEmpty()) {
        problem = "no peak_rss";
      } else if (problem == null && cpuPct.isEmpty()) {
        problem = "no %cpu";
      }
      if (problem != null) {
        malformed++;
        if (examples.size() < EXAMPLES) {
          examples.add(file.getFileName() + ":" + (ln + 1) + ": " + problem);
        }
        continue;
      }
      String process = field(row, cols, "process");
      if (process == null || process.isEmpty()) {
        String name = field(row, cols, "name");
        int paren = name.indexOf(" (");
        process = paren > 0 ? name.substring(0, paren) : name;
      }
      double wall = realtime.getAsDouble();
      double cpu = wall * cpuPct.getAsDouble() / 100.0;
      double inputMb = first(Units.bytes(field(row, cols, "rchar")),
          Units.bytes(field(row, cols, "read_bytes"))).orElse(0) / MB;
      OptionalDouble requested = Units.bytes(field(row, cols, "memory"));
      Instant start = instant(first(field(row, cols, "start"), field(row, cols, "submit")));
      Instant end = instant(field(row, cols, "complete"));
      if (start == null) {
        start = fallback.plusMillis(ln); // keeps trace order when the trace has no times
      }
      if (end == null || end.isBefore(start)) {
        end = start.plusMillis((long) (wall * 1000));
      }
      String exit = field(row, cols, "exit");
      Integer exitCode = exit != null && exit.matches("-?\\d+") ? Integer.valueOf(exit) : null;
      String key = key(file, ln, field(row, cols, "task_id"), field(row, cols, "hash"),
          field(row, cols, "attempt"));
      runs.add(new ImportedRun(key, process, "nextflow", inputMb,
          new Usage(cpu, peak.getAsDouble() / MB, wall),
          requested.isPresent() ? requested.getAsDouble() / MB : null, start, end, Outcome.OK,
          exitCode));
    }
    return new TraceFile(file, runs, failed, malformed, examples);
  }
}
