package io.forge.launcher.slurm;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Slurm's ways of writing sizes and durations, read and written: {@code --mem} sizes ({@code
 * 500}, {@code 4G}: MB unless suffixed), {@code sacct}'s {@code MaxRSS} ({@code 137828K}),
 * {@code --time} limits ({@code 90}, {@code 1:30:00}, {@code 2-00}: minutes unless colons say
 * otherwise) and {@code sacct}'s elapsed and CPU times ({@code 00:01:06}, {@code 00:00.207},
 * {@code 1-02:03:04}).
 */
public final class SlurmUnits {

  private SlurmUnits() {}

  /**
   * A size in MB: a number with an optional K, M, G or T suffix (1024-based, Slurm's), plain
   * numbers in {@code defaultUnit}; empty when blank or unreadable.
   *
   * @param defaultUnit the unit of a bare number: {@code 'M'} for {@code --mem}, {@code 'K'}
   *     is never needed ({@code sacct} always suffixes)
   */
  public static OptionalDouble megabytes(String text, char defaultUnit) {
    String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    if (t.isEmpty()) {
      return OptionalDouble.empty();
    }
    char unit = defaultUnit;
    char last = t.charAt(t.length() - 1);
    if (Character.isLetter(last)) {
      unit = last;
      t = t.substring(0, t.length() - 1);
    }
    double value;
    try {
      value = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
    if (!(value >= 0) || Double.isInfinite(value)) {
      return OptionalDouble.empty();
    }
    return switch (unit) {
      case 'K' -> OptionalDouble.of(value / 1024);
      case 'M' -> OptionalDouble.of(value);
      case 'G' -> OptionalDouble.of(value * 1024);
      case 'T' -> OptionalDouble.of(value * 1024 * 1024);
      default -> OptionalDouble.empty();
    };
  }

  /**
   * A {@code --time} limit in seconds, in any form {@code sbatch} takes: {@code M}, {@code
   * M:S}, {@code H:M:S}, {@code D-H}, {@code D-H:M}, {@code D-H:M:S}; empty for {@code
   * UNLIMITED}/{@code INFINITE} and for anything unreadable.
   */
  public static OptionalDouble limitSeconds(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty() || t.equalsIgnoreCase("UNLIMITED") || t.equalsIgnoreCase("INFINITE")) {
      return OptionalDouble.empty();
    }
    try {
      int dash = t.indexOf('-');
      if (dash >= 0) {
        long days = Long.parseLong(t.substring(0, dash));
        String[] hms = t.substring(dash + 1).split(":", -1);
        if (hms.length > 3) {
          return OptionalDouble.empty();
        }
        long s = days * 86400;
        long[] scale = {3600, 60, 1};
        for (int i = 0; i < hms.length; i++) {
          s += Long.parseLong(hms[i]) * scale[i];
        }
        return OptionalDouble.of(s);
      }
      String[] p = t.split(":", -1);
      return switch (p.length) {
        case 1 -> OptionalDouble.of(Long.parseLong(p[0]) * 60.0);
        case 2 -> OptionalDouble.of(Long.parseLong(p[0]) * 60.0 + Long.parseLong(p[1]));
        case 3 -> OptionalDouble.of(Long.parseLong(p[0]) * 3600.0 + Long.parseLong(p[1]) * 60
            + Long.parseLong(p[2]));
        default -> OptionalDouble.empty();
      };
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * A duration {@code sacct} prints ({@code Elapsed}, {@code TotalCPU}) in seconds: {@code
   * [D-][H:]M:S[.mmm]}; empty when blank or unreadable.
   */
  public static OptionalDouble durationSeconds(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double s = 0;
      int dash = t.indexOf('-');
      if (dash >= 0) {
        s += Long.parseLong(t.substring(0, dash)) * 86400.0;
        t = t.substring(dash + 1);
      }
      String[] p = t.split(":", -1);
      if (p.length < 2 || p.length > 3) {
        return OptionalDouble.empty();
      }
      double[] scale = p.length == 3 ? new double[] {3600, 60, 1} : new double[] {60, 1};
      for (int i = 0; i < p.length; i++) {
        double v = Double.parseDouble(p[i]);
        if (!(v >= 0) || Double.isInfinite(v)) {
          return OptionalDouble.empty();
        }
        s += v * scale[i];
      }
      return OptionalDouble.of(s);
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /** An {@code ExitCode} field, {@code code:signal}, as {@code {code, signal}} (0 if unread). */
  static int[] exitCode(String text) {
    String[] parts = text.split(":", -1);
    int[] codes = new int[2];
    for (int i = 0; i < 2 && i < parts.length; i++) {
      try {
        codes[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        codes[i] = 0;
      }
    }
    return codes;
  }

  /** A {@code --mem} value for {@code mb}: whole megabytes, rounded up ({@code 178M}). */
  public static String mem(double mb) {
    return (long) Math.ceil(mb) + "M";
  }

  /** A {@code --time} value for {@code seconds}: whole minutes, rounded up, at least one. */
  public static String time(double seconds) {
    return Long.toString(Math.max(1, (long) Math.ceil(seconds / 60)));
  }
}
