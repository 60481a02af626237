package io.forge.model.spool;

import io.forge.model.history.RunColumns;
import java.time.Instant;
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

  private SpoolFormat() {}

  /**
   * The file's text. {@link Properties#store} would do, but it writes a date comment whose
   * formatting loads the locale and time-zone data — tens of milliseconds on every launch.
   */
  static String write(Map<String, Object> columns) {
    StringBuilder out = new StringBuilder(1024);
    for (Map.Entry<String, Object> e : columns.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      escape(e.getKey(), out, true);
      out.append('=');
      escape(v instanceof Instant i ? Long.toString(i.toEpochMilli()) : v.toString(), out,
          false);
      out.append('\n');
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
