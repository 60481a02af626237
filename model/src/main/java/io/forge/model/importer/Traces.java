package io.forge.model.importer;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Readers of the trace formats {@code forge-launch import} takes: Nextflow traces ({@code
 * trace.txt}/{@code .csv}: tab, comma or semicolon separated, detected from the header; with or
 * without the optional columns; raw or human-formatted values), Snakemake benchmark files, and
 * Forge's documented CSV.
 */
public final class Traces {

  static final int EXAMPLES = 5;
  static final double MB = 1024.0 * 1024.0;
  private static final DateTimeFormatter NEXTFLOW_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]", Locale.ROOT);

  private Traces() {}

  /** The supported formats. */
  public enum Format {
    /** Nextflow trace. */
    NEXTFLOW,
    /** Snakemake benchmark TSV. */
    SNAKEMAKE,
    /** Forge's CSV (see the README). */
    CSV;

    /** Parses {@code nextflow}, {@code snakemake}, {@code csv}. */
    public static Format parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown format '" + name + "' (expected nextflow, snakemake or csv)");
      }
    }
  }

  /**
   * Reads a trace file.
   *
   * @param analysisId for Snakemake benchmarks, the rule (null: the file's folder or name)
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when its header is not the format's
   */
  public static TraceFile read(Path file, Format format, String analysisId) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty file");
    }
    return switch (format) {
      case NEXTFLOW -> NextflowTraces.read(file, lines);
      case SNAKEMAKE -> snakemake(file, lines, analysisId);
      case CSV -> csv(file, lines);
    };
  }

  /** Tab, semicolon or comma: whichever the header holds most of. */
  static char separator(String header) {
    char best = ',';
    long bestCount = -1;
    for (char c : new char[] {'\t', ';', ','}) {
      long n = header.chars().filter(ch -> ch == c).count();
      if (n > bestCount) {
        best = c;
        bestCount = n;
      }
    }
    return best;
  }

  static Map<String, Integer> columns(String[] header) {
    Map<String, Integer> cols = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      cols.put(header[i].trim().toLowerCase(Locale.ROOT), i);
    }
    return cols;
  }

  static String field(String[] row, Map<String, Integer> cols, String name) {
    Integer i = cols.get(name);
    return i == null || i >= row.length ? null : row[i].trim();
  }

  private static TraceFile snakemake(Path file, List<String> lines, String analysisId) {
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
    List<ImportedRun> runs = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    int malformed = 0;
    for (int ln = 1; ln < lines.size(); ln++) {
      if (lines.get(ln).isBlank()) {
        continue;
      }
      String[] row = split(lines.get(ln), '\t');
      OptionalDouble wall = Units.seconds(field(row, cols, "s"), 1);
      OptionalDouble rss = Units.number(field(row, cols, "max_rss"));
      if (row.length != header.length || wall.isEmpty() || rss.isEmpty()) {
        malformed++;
        if (examples.size() < EXAMPLES) {
          examples.add(file.getFileName() + ":" + (ln + 1) + ": unreadable benchmark row");
        }
        continue;
      }
      double cpu = Units.number(field(row, cols, "cpu_time")).orElse(wall.getAsDouble());
      double inputMb = Units.number(field(row, cols, "io_in")).orElse(0);
      Instant end = modified.plusMillis(ln);
      Instant start = end.minusMillis((long) (wall.getAsDouble() * 1000));
      runs.add(new ImportedRun(key(file, ln, null, null, null), rule, "snakemake", inputMb,
          new Usage(Math.max(0, cpu), rss.getAsDouble(), wall.getAsDouble()), null, start, end,
          Outcome.OK, 0));
    }
    return new TraceFile(file, runs, 0, malformed, examples);
  }

  private static TraceFile csv(Path file, List<String> lines) {
    String[] header = split(lines.get(0), ',');
    Map<String, Integer> cols = columns(header);
    for (String required : List.of("analysis_id", "cpu_seconds", "peak_rss_mb",
        "wall_seconds")) {
      if (!cols.containsKey(required)) {
        throw new IllegalArgumentException(file + ": the CSV header lacks '" + required
            + "' (see the README for the columns)");
      }
    }
    List<ImportedRun> runs = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    int failed = 0;
    int malformed = 0;
    for (int ln = 1; ln < lines.size(); ln++) {
      if (lines.get(ln).isBlank()) {
        continue;
      }
      String[] row = split(lines.get(ln), ',');
      String id = field(row, cols, "analysis_id");
      OptionalDouble cpu = Units.number(field(row, cols, "cpu_seconds"));
      OptionalDouble rss = Units.number(field(row, cols, "peak_rss_mb"));
      OptionalDouble wall = Units.number(field(row, cols, "wall_seconds"));
      String outcomeName = field(row, cols, "outcome");
      Outcome outcome;
      try {
        outcome = outcomeName == null || outcomeName.isEmpty() ? Outcome.OK
            : Outcome.fromDb(outcomeName);
      } catch (IllegalArgumentException e) {
        outcome = null;
      }
      Instant start = instant(field(row, cols, "started_at"));
      if (row.length != header.length || id == null || id.isEmpty() || cpu.isEmpty()
          || rss.isEmpty() || wall.isEmpty() || outcome == null || cpu.getAsDouble() < 0
          || rss.getAsDouble() < 0 || wall.getAsDouble() < 0) {
        malformed++;
        if (examples.size() < EXAMPLES) {
          examples.add(file.getFileName() + ":" + (ln + 1) + ": unreadable row");
        }
        continue;
      }
      if (!outcome.measuredInFull()) {
        failed++;
        continue;
      }
      if (start == null) {
        start = Instant.EPOCH.plusMillis(ln);
      }
      String runtime = field(row, cols, "runtime");
      String exit = field(row, cols, "exit_code");
      OptionalDouble requested = Units.number(field(row, cols, "requested_memory_mb"));
      runs.add(new ImportedRun(key(file, ln, null, null, null), id,
          runtime == null || runtime.isEmpty() ? "other" : runtime,
          Units.number(field(row, cols, "input_mb")).orElse(0),
          new Usage(cpu.getAsDouble(), rss.getAsDouble(), wall.getAsDouble()),
          requested.isPresent() ? requested.getAsDouble() : null, start,
          start.plusMillis((long) (wall.getAsDouble() * 1000)), outcome,
          exit != null && exit.matches("-?\\d+") ? Integer.valueOf(exit) : null));
    }
    return new TraceFile(file, runs, failed, malformed, examples);
  }

  /** Splits a line; double-quoted fields may hold the separator ({@code ""} is a quote). */
  static String[] split(String line, char sep) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.length() == 0) {
        quoted = true;
      } else if (c == sep) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }

  static Instant instant(String v) {
    if (Units.missing(v)) {
      return null;
    }
    String t = v.trim();
    if (t.matches("\\d{10,}")) {
      return Instant.ofEpochMilli(Long.parseLong(t));
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t, NEXTFLOW_DATE).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  static OptionalDouble first(OptionalDouble a, OptionalDouble b) {
    return a.isPresent() ? a : b;
  }

  static String first(String a, String b) {
    return Units.missing(a) ? b : a;
  }

  /** A stable key of one row of one file: the same file imported twice gives the same keys. */
  static String key(Path file, int line, String taskId, String hash, String attempt) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String id = file.toAbsolutePath().normalize() + "|" + line + "|" + taskId + "|" + hash
          + "|" + attempt;
      return HexFormat.of().formatHex(sha.digest(id.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
