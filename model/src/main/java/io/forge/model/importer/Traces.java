package io.forge.model.importer;

import io.forge.model.Plausible;
import io.forge.model.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
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
import java.util.Optional;
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
    List<String> lines = lines(file);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + ": empty file");
    }
    if (lines.get(0) == null) {
      throw new IllegalArgumentException(file + ": the header is not UTF-8 text");
    }
    return switch (format) {
      case NEXTFLOW -> NextflowTraces.read(file, lines);
      case SNAKEMAKE -> SnakemakeBenchmarks.read(file, lines, analysisId);
      case CSV -> ForgeCsv.read(file, lines);
    };
  }

  /**
   * The file's lines, each decoded as UTF-8 on its own: a line that is not UTF-8 is null (a
   * malformed row, counted with its number), not the end of the import.
   */
  static List<String> lines(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<String> lines = new ArrayList<>();
    int from = 0;
    while (from < bytes.length) {
      int to = from;
      while (to < bytes.length && bytes[to] != '\n') {
        to++;
      }
      int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
      try {
        lines.add(utf8.decode(ByteBuffer.wrap(bytes, from, end - from)).toString());
      } catch (CharacterCodingException e) {
        lines.add(null);
      }
      from = to + 1;
    }
    return lines;
  }

  /**
   * A row's usage, checked with its memory request and input size ({@link Plausible}).
   *
   * @throws IllegalArgumentException saying which figure no job can have
   */
  static Usage usage(double cpuSeconds, double peakRssMb, double wallSeconds,
      Double requestedMb, double inputMb) {
    String bad = Plausible.usage(cpuSeconds, peakRssMb, wallSeconds)
        .or(() -> requestedMb == null ? Optional.empty()
            : Plausible.memoryMb("requested memory", requestedMb))
        .or(() -> Plausible.inputMb("input size", inputMb))
        .orElse(null);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    return new Usage(cpuSeconds, peakRssMb, wallSeconds);
  }

  /** One data row of a trace file turned into a run. */
  @FunctionalInterface
  interface RowReader {
    /**
     * The run of line {@code ln} (0-based, after the header), its fields as many as the
     * header's, or null for a task that failed (its usage is partial: counted, not imported).
     *
     * @throws IllegalArgumentException saying what makes the row unreadable
     */
    ImportedRun read(int ln, String[] row);
  }

  /**
   * Reads every data row of a file, each on its own, split at {@code sep}: blank lines are
   * skipped, a row that is not UTF-8, has another number of fields than the header or that
   * {@code reader} refuses is counted as malformed and the first few named with their file and
   * line; the other rows import.
   */
  static TraceFile rows(Path file, List<String> lines, char sep, RowReader reader) {
    int fields = split(lines.get(0), sep).length;
    List<ImportedRun> runs = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    int failed = 0;
    int malformed = 0;
    for (int ln = 1; ln < lines.size(); ln++) {
      String line = lines.get(ln);
      if (line != null && line.isBlank()) {
        continue;
      }
      try {
        if (line == null) {
          throw new IllegalArgumentException("not UTF-8 text");
        }
        String[] row = split(line, sep);
        if (row.length != fields) {
          throw new IllegalArgumentException("expected " + fields + " fields, found "
              + row.length);
        }
        ImportedRun run = reader.read(ln, row);
        if (run == null) {
          failed++;
        } else {
          runs.add(run);
        }
      } catch (IllegalArgumentException e) {
        malformed++;
        if (examples.size() < EXAMPLES) {
          examples.add(file.getFileName() + ":" + (ln + 1) + ": " + e.getMessage());
        }
      }
    }
    return new TraceFile(file, runs, failed, malformed, examples);
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

  /** Earliest time a run can carry. */
  private static final Instant EARLIEST = Instant.EPOCH;

  /** Latest time a run can carry. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /**
   * A time: epoch milliseconds, ISO-8601, or Nextflow's {@code yyyy-MM-dd HH:mm:ss[.SSS]} (UTC);
   * null when missing.
   *
   * @throws IllegalArgumentException when present but no time (or not within 1970–9999)
   */
  static Instant instant(String v) {
    if (Units.missing(v)) {
      return null;
    }
    String t = v.trim();
    Instant at;
    try {
      if (t.matches("\\d{10,}")) {
        at = Instant.ofEpochMilli(Long.parseLong(t));
      } else {
        try {
          at = Instant.parse(t);
        } catch (DateTimeParseException e) {
          at = LocalDateTime.parse(t, NEXTFLOW_DATE).toInstant(ZoneOffset.UTC);
        }
      }
    } catch (DateTimeException | NumberFormatException e) {
      at = null;
    }
    if (at == null || at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw new IllegalArgumentException("unreadable time '" + t + "'");
    }
    return at;
  }

  /**
   * An exit code; null when missing.
   *
   * @throws IllegalArgumentException when present but not a 32-bit integer
   */
  static Integer exitCode(String v) {
    if (Units.missing(v)) {
      return null;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unreadable exit code '" + v.trim() + "'");
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
