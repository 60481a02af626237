package io.forge.model.spool;

import io.forge.model.history.RunColumns;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A spool file's text: a run's {@link RunColumns} as {@code column=value} lines in {@link
 * Properties#load} syntax, timestamps as epoch milliseconds (java.time's formatter would cost
 * every launch ~10 ms to load). Files written before the columns were shared with the table
 * used other keys ({@code predicted.cpu_seconds}, {@code predicted_at_ms}, …); they are still
 * read, so a spool left by an earlier Forge is ingested after an upgrade.
 */
final class SpoolFormat {

  /** Keys of the earlier spool format, by the column they held. */
  private static final Map<String, String> EARLIER_KEYS = Map.ofEntries(
      Map.entry("predicted_cpu_s", "predicted.cpu_seconds"),
      Map.entry("predicted_rss_mb", "predicted.peak_rss_mb"),
      Map.entry("predicted_wall_s", "predicted.wall_seconds"),
      Map.entry("predicted_cpu_low_s", "low.cpu_seconds"),
      Map.entry("predicted_rss_low_mb", "low.peak_rss_mb"),
      Map.entry("predicted_wall_low_s", "low.wall_seconds"),
      Map.entry("predicted_cpu_high_s", "high.cpu_seconds"),
      Map.entry("predicted_rss_high_mb", "high.peak_rss_mb"),
      Map.entry("predicted_wall_high_s", "high.wall_seconds"),
      Map.entry("actual_cpu_s", "actual.cpu_seconds"),
      Map.entry("actual_rss_mb", "actual.peak_rss_mb"),
      Map.entry("actual_wall_s", "actual.wall_seconds"),
      Map.entry("predicted_at", "predicted_at_ms"),
      Map.entry("settled_at", "settled_at_ms"),
      Map.entry("recorder_pid", "pid"),
      Map.entry("recorder_started_ms", "started_ms"));

  /**
   * Columns written first, in this order: what a prediction needs of a settled run, so a
   * launch reading its analysis's spooled runs stops after the first lines of each file.
   */
  static final List<String> HEAD = List.of("run_id", "analysis_id", "outcome", "settled_at",
      "actual_cpu_s", "actual_rss_mb", "actual_wall_s", "memory_limit_mb");

  private SpoolFormat() {}

  /**
   * The file's text. {@link Properties#store} would do, but it writes a date comment whose
   * formatting loads the locale and time-zone data — tens of milliseconds on every launch.
   */
  static String write(Map<String, Object> columns) {
    StringBuilder out = new StringBuilder(1024);
    for (String key : HEAD) {
      line(key, columns.get(key), out);
    }
    for (Map.Entry<String, Object> e : columns.entrySet()) {
      if (!HEAD.contains(e.getKey())) {
        line(e.getKey(), e.getValue(), out);
      }
    }
    return out.toString();
  }

  private static void line(String key, Object value, StringBuilder out) {
    if (value == null) {
      return;
    }
    escape(key, out, true);
    out.append('=');
    escape(value instanceof Instant i ? Long.toString(i.toEpochMilli()) : value.toString(), out,
        false);
    out.append('\n');
  }

  /**
   * The leading lines of a file as this class writes it ({@code key=value}) whose keys are in
   * {@code wanted}: parsing stops at the first line with another key, so a caller asking for
   * {@link #HEAD} reads a few lines of each file. Null when a line has another form ({@link
   * Properties#load} syntax this class never writes: comments, a separator other than {@code
   * =}, continued lines), for the caller to load the file in full. ({@code Properties.load} of the
   * same lines costs a launch ~48 µs per spooled run against ~10 µs here, measured over 44
   * spool files with C1: a hundred spooled runs of one analysis are read by every launch.)
   */
  static Map<String, String> columns(String text, List<String> wanted) {
    Map<String, String> found = new HashMap<>();
    int start = 0;
    int n = text.length();
    while (start < n && found.size() < wanted.size()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      int eq = separator(text, start, end);
      if (eq < 0) {
        if (end > start) {
          return null;
        }
      } else {
        String key = unescape(text, start, eq);
        if (!wanted.contains(key)) {
          break;
        }
        found.put(key, unescape(text, eq + 1, end));
      }
      start = end + 1;
    }
    return found;
  }

  /** The {@code =} between key and value, or -1 when the line is not in the written form. */
  private static int separator(String text, int start, int end) {
    if (end == start || text.charAt(start) == '#' || text.charAt(start) == '!') {
      return -1;
    }
    int backslashes = 0;
    for (int i = end - 1; i >= start && text.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    if (backslashes % 2 == 1) {
      return -1; // a continued line
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '=') {
        return i;
      } else if (c == ':' || c == ' ' || c == '\t' || c == '\f' || c == '\r') {
        return -1;
      }
    }
    return -1;
  }

  /** Undoes {@link #escape} on {@code text[start, end)}. */
  private static String unescape(String text, int start, int end) {
    int first = start;
    while (first < end && text.charAt(first) != '\\') {
      first++;
    }
    if (first == end) {
      return text.substring(start, end);
    }
    StringBuilder out = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        out.append(c);
        continue;
      }
      char e = text.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }

  private static void escape(String s, StringBuilder out, boolean isKey) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case '=', ':', '#', '!' -> out.append('\\').append(c);
        case ' ' -> {
          if (isKey || i == 0) {
            out.append('\\');
          }
          out.append(' ');
        }
        default -> {
          if (c < 0x20 || c > 0x7e) {
            String hex = Integer.toHexString(c);
            out.append("\\u").append("0000", hex.length(), 4).append(hex);
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  /** The columns of a loaded file (of either format). */
  static RunColumns.Values values(Properties p) {
    return new RunColumns.Values() {
      @Override
      public String text(String column) {
        String v = p.getProperty(column);
        return v != null || !EARLIER_KEYS.containsKey(column) ? v
            : p.getProperty(EARLIER_KEYS.get(column));
      }

      @Override
      public Double number(String column) {
        String v = text(column);
        return v == null ? null : Double.valueOf(v);
      }

      @Override
      public Long integer(String column) {
        String v = text(column);
        return v == null ? null : Long.valueOf(v);
      }

      @Override
      public Instant instant(String column) {
        String v = text(column);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v));
      }
    };
  }
}
