package io.forge.model.importer;

import static io.forge.model.importer.Traces.MB;
import static io.forge.model.importer.Traces.columns;
import static io.forge.model.importer.Traces.exitCode;
import static io.forge.model.importer.Traces.field;
import static io.forge.model.importer.Traces.first;
import static io.forge.model.importer.Traces.instant;
import static io.forge.model.importer.Traces.key;
import static io.forge.model.importer.Traces.separator;
import static io.forge.model.importer.Traces.split;

import io.forge.model.Outcome;
import io.forge.model.Plausible;
import io.forge.model.Usage;
import java.nio.file.Path;
import java.time.Instant;
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
    return Traces.rows(file, lines, sep, (ln, row) -> row(file, ln, row, cols));
  }

  /**
   * One row of the trace: the run, or null for a failed or aborted task (its usage is partial).
   *
   * @throws IllegalArgumentException saying what makes the row unreadable
   */
  private static ImportedRun row(Path file, int ln, String[] row, Map<String, Integer> cols) {
    String status = field(row, cols, "status");
    if (status != null && !status.equals("COMPLETED") && !status.equals("CACHED")) {
      if (status.equals("FAILED") || status.equals("ABORTED")) {
        return null;
      }
      throw new IllegalArgumentException("unknown status '" + status + "'");
    }
    OptionalDouble realtime = first(Units.seconds(field(row, cols, "realtime"), 0.001),
        Units.seconds(field(row, cols, "duration"), 0.001));
    OptionalDouble peak = first(Units.bytes(field(row, cols, "peak_rss")),
        Units.bytes(field(row, cols, "rss")));
    OptionalDouble cpuPct = Units.number(field(row, cols, "%cpu"));
    if (realtime.isEmpty()) {
      throw new IllegalArgumentException("no realtime");
    } else if (peak.isEmpty()) {
      throw new IllegalArgumentException("no peak_rss");
    } else if (cpuPct.isEmpty()) {
      throw new IllegalArgumentException("no %cpu");
    }
    String process = field(row, cols, "process");
    if (process == null || process.isEmpty()) {
      String name = field(row, cols, "name");
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("no process or name");
      }
      int paren = name.indexOf(" (");
      process = paren > 0 ? name.substring(0, paren) : name;
    }
    double wall = realtime.getAsDouble();
    double pct = cpuPct.getAsDouble();
    double inputMb = first(Units.bytes(field(row, cols, "rchar")),
        Units.bytes(field(row, cols, "read_bytes"))).orElse(0) / MB;
    OptionalDouble requested = Units.bytes(field(row, cols, "memory"));
    Double requestedMb = requested.isPresent() ? requested.getAsDouble() / MB : null;
    String bad = Plausible.check("realtime", wall, Plausible.MAX_WALL_SECONDS)
        .or(() -> Plausible.check("%cpu", pct, Double.MAX_VALUE)).orElse(null);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    Usage usage = Traces.usage(wall * pct / 100.0, peak.getAsDouble() / MB, wall, requestedMb,
        inputMb);
    Instant start = instant(first(field(row, cols, "start"), field(row, cols, "submit")));
    Instant end = instant(field(row, cols, "complete"));
    if (start == null) {
      start = Instant.EPOCH.plusMillis(ln); // keeps trace order when the trace has no times
    }
    if (end == null || end.isBefore(start)) {
      end = start.plusMillis((long) (wall * 1000));
    }
    String key = key(file, ln, field(row, cols, "task_id"), field(row, cols, "hash"),
        field(row, cols, "attempt"));
    return new ImportedRun(key, process, "nextflow", inputMb, usage, requestedMb, start, end,
        Outcome.OK, exitCode(field(row, cols, "exit")));
  }
}
