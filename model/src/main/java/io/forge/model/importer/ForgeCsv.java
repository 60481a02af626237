package io.forge.model.importer;

import static io.forge.model.importer.Traces.columns;
import static io.forge.model.importer.Traces.exitCode;
import static io.forge.model.importer.Traces.field;
import static io.forge.model.importer.Traces.instant;
import static io.forge.model.importer.Traces.key;
import static io.forge.model.importer.Traces.split;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Forge's documented CSV (see the README): {@code analysis_id}, {@code cpu_seconds}, {@code
 * peak_rss_mb}, {@code wall_seconds} required; {@code runtime}, {@code input_mb}, {@code
 * started_at}, {@code requested_memory_mb}, {@code outcome}, {@code exit_code} optional.
 */
final class ForgeCsv {

  private ForgeCsv() {}

  static TraceFile read(Path file, List<String> lines) {
    String[] header = split(lines.get(0), ',');
    Map<String, Integer> cols = columns(header);
    for (String required : List.of("analysis_id", "cpu_seconds", "peak_rss_mb",
        "wall_seconds")) {
      if (!cols.containsKey(required)) {
        throw new IllegalArgumentException(file + ": the CSV header lacks '" + required
            + "' (see the README for the columns)");
      }
    }
    return Traces.rows(file, lines, ',', (ln, row) -> csvRow(file, ln, row, cols));
  }

  /**
   * One row of Forge's CSV: the run, or null for a run that did not complete (its usage is
   * partial).
   *
   * @throws IllegalArgumentException saying what makes the row unreadable
   */
  private static ImportedRun csvRow(Path file, int ln, String[] row,
      Map<String, Integer> cols) {
    String id = field(row, cols, "analysis_id");
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("no analysis_id");
    }
    OptionalDouble cpu = Units.number(field(row, cols, "cpu_seconds"));
    OptionalDouble rss = Units.number(field(row, cols, "peak_rss_mb"));
    OptionalDouble wall = Units.number(field(row, cols, "wall_seconds"));
    if (cpu.isEmpty() || rss.isEmpty() || wall.isEmpty()) {
      throw new IllegalArgumentException("cpu_seconds, peak_rss_mb and wall_seconds must be"
          + " numbers");
    }
    String outcomeName = field(row, cols, "outcome");
    Outcome outcome = outcomeName == null || outcomeName.isEmpty() ? Outcome.OK
        : Outcome.fromDb(outcomeName);
    Instant start = instant(field(row, cols, "started_at"));
    Integer exit = exitCode(field(row, cols, "exit_code"));
    OptionalDouble requested = Units.number(field(row, cols, "requested_memory_mb"));
    Double requestedMb = requested.isPresent() ? requested.getAsDouble() : null;
    double inputMb = Units.number(field(row, cols, "input_mb")).orElse(0);
    Usage usage = Traces.usage(cpu.getAsDouble(), rss.getAsDouble(), wall.getAsDouble(),
        requestedMb, inputMb);
    if (!outcome.measuredInFull()) {
      return null;
    }
    if (start == null) {
      start = Instant.EPOCH.plusMillis(ln);
    }
    String runtime = field(row, cols, "runtime");
    return new ImportedRun(key(file, ln, null, null, null), id,
        runtime == null || runtime.isEmpty() ? "other" : runtime, inputMb, usage, requestedMb,
        start, start.plusMillis((long) (wall.getAsDouble() * 1000)), outcome, exit);
  }
}
