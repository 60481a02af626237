package io.forge.model.importer;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the values workflow engines write: raw numbers, or human units as in Nextflow's
 * formatted traces ({@code 1.5 GB}, {@code 512 MB}, {@code 3m 2s}, {@code 1h 2m 3s}, {@code
 * 250ms}, {@code 12.5%}). {@code -} and blanks are missing values.
 */
final class Units {

  private static final Pattern MEMORY = Pattern.compile(
      "([0-9]*\\.?[0-9]+)\\s*([KMGTP]?i?B|[KMGTP])?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION_PART = Pattern.compile(
      "([0-9]*\\.?[0-9]+)\\s*(ms|d|h|m|s)", Pattern.CASE_INSENSITIVE);

  private Units() {}

  static boolean missing(String v) {
    return v == null || v.isBlank() || v.trim().equals("-");
  }

  /** Bytes from a raw number of bytes or a human size; empty when missing or malformed. */
  static OptionalDouble bytes(String v) {
    if (missing(v)) {
      return OptionalDouble.empty();
    }
    Matcher m = MEMORY.matcher(v.trim());
    if (!m.matches()) {
      return OptionalDouble.empty();
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
    double factor = switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
      case 'K' -> 1024.0;
      case 'M' -> 1024.0 * 1024;
      case 'G' -> 1024.0 * 1024 * 1024;
      case 'T' -> 1024.0 * 1024 * 1024 * 1024;
      case 'P' -> 1024.0 * 1024 * 1024 * 1024 * 1024;
      default -> 1.0;
    };
    return OptionalDouble.of(n * factor);
  }

  /**
   * Seconds from a raw number of {@code rawUnitSeconds} (Nextflow's raw traces count
   * milliseconds) or a human duration; empty when missing or malformed.
   */
  static OptionalDouble seconds(String v, double rawUnitSeconds) {
    if (missing(v)) {
      return OptionalDouble.empty();
    }
    String t = v.trim();
    try {
      return OptionalDouble.of(Double.parseDouble(t) * rawUnitSeconds);
    } catch (NumberFormatException e) {
      // A human duration: parts such as 1h 2m 3.5s.
    }
    if (t.matches("\\d+:\\d{2}:\\d{2}(\\.\\d+)?")) { // h:mm:ss (Snakemake)
      String[] p = t.split(":");
      return OptionalDouble.of(Integer.parseInt(p[0]) * 3600 + Integer.parseInt(p[1]) * 60
          + Double.parseDouble(p[2]));
    }
    Matcher m = DURATION_PART.matcher(t);
    double total = 0;
    int end = 0;
    boolean any = false;
    while (m.find()) {
      if (!t.substring(end, m.start()).isBlank()) {
        return OptionalDouble.empty();
      }
      double n = Double.parseDouble(m.group(1));
      total += switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> n / 1000;
        case "d" -> n * 86400;
        case "h" -> n * 3600;
        case "m" -> n * 60;
        default -> n;
      };
      end = m.end();
      any = true;
    }
    return any && t.substring(end).isBlank() ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  /** A plain number, a percentage ({@code 98.5%}) as its number; empty when missing. */
  static OptionalDouble number(String v) {
    if (missing(v)) {
      return OptionalDouble.empty();
    }
    String t = v.trim();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    }
    try {
      double d = Double.parseDouble(t);
      return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
