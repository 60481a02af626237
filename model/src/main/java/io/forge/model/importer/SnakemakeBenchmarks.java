package io.forge.model.importer;

import static io.forge.model.importer.Traces.columns;
import static io.forge.model.importer.Traces.field;
import static io.forge.model.importer.Traces.key;
import static io.forge.model.importer.Traces.split;

import io.forge.model.Outcome;
import io.forge.model.Plausible;
import io.forge.model.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Snakemake benchmark files ({@code benchmark:} directive, tab separated): one run per row of
 * the rule named by the caller, else by the file's folder or name; wall {@code s}, peak RSS
 * {@code max_rss}, CPU {@code cpu_time}, input {@code io_in}.
 */
final class SnakemakeBenchmarks {

  private SnakemakeBenchmarks() {}

  static TraceFile read(Path file, List<String> lines, String analysisId) {
    String[] header = split(lines.get(0), '\t');
    Map<String, Integer> cols = columns(header);
    if (!cols.containsKey("s") || !cols.containsKey("max_rss")) {
      throw new IllegalArgumentException(file + ": not a Snakemake benchmark (needs s and"
          + " max_rss columns)");
    }
    String rule = analysisId;
    if (rule == null) {
      Path parent = file.toAbsolutePath().getParent();
      String dir = parent == null || parent.getFileName() == null ? ""
          : parent.getFileName().toString();
      String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      rule = dir.isEmpty() || dir.equals("benchmarks") || dir.equals("benchmark") ? stem : dir;
    }
    Instant modified;
    try {
      modified = Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      modified = Instant.EPOCH;
    }
    Instant at = modified;
    String name = rule;
    return Traces.rows(file, lines, '\t', (ln, row) -> row(file, ln, row, cols, name, at));
  }

  /**
   * One benchmark row: the run of {@code rule}, ended at the file's time plus the line number
   * (keeping the rows' order).
   *
   * @throws IllegalArgumentException saying what makes the row unreadable
   */
  private static ImportedRun row(Path file, int ln, String[] row, Map<String, Integer> cols,
      String rule, Instant modified) {
    OptionalDouble wall = Units.seconds(field(row, cols, "s"), 1);
    OptionalDouble rss = Units.number(field(row, cols, "max_rss"));
    if (wall.isEmpty() || rss.isEmpty()) {
      throw new IllegalArgumentException("unreadable benchmark row");
    }
    double cpu = Units.number(field(row, cols, "cpu_time")).orElse(wall.getAsDouble());
    double inputMb = Units.number(field(row, cols, "io_in")).orElse(0);
    String bad = Plausible.check("s", wall.getAsDouble(), Plausible.MAX_WALL_SECONDS)
        .or(() -> Plausible.check("max_rss", rss.getAsDouble(), Plausible.MAX_MEMORY_MB))
        .or(() -> Plausible.check("cpu_time", Math.abs(cpu), Plausible.MAX_CPU_SECONDS))
        .or(() -> Plausible.inputMb("io_in", inputMb)).orElse(null);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    Instant end = modified.plusMillis(ln);
    Instant start = end.minusMillis((long) (wall.getAsDouble() * 1000));
    return new ImportedRun(key(file, ln, null, null, null), rule, "snakemake", inputMb,
        new Usage(Math.max(0, cpu), rss.getAsDouble(), wall.getAsDouble()), null, start, end,
        Outcome.OK, 0);
  }
}
