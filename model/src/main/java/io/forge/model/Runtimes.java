package io.forge.model;

import java.util.List;
import java.util.Locale;

/**
 * The closed set of runtime names the model knows. Any other name is kept for display but is
 * one-hot encoded as {@code other}, so a new interpreter never breaks the feature layout.
 */
public final class Runtimes {
  /** Canonical runtime names, in feature-layout order. */
  public static final List<String> KNOWN =
      List.of("python", "r", "shell", "jvm", "perl", "nextflow", "snakemake", "other");

  private Runtimes() {}

  /**
   * The runtime a script's file name implies ({@code .py} python, {@code .R}/{@code .r} r,
   * {@code .sh} shell, {@code .pl} perl, {@code .jar} jvm), {@code other} otherwise: for callers
   * that have a script but no interpreter.
   */
  public static String ofScriptName(String fileName) {
    String n = fileName == null ? "" : fileName;
    if (n.endsWith(".py")) {
      return "python";
    }
    if (n.endsWith(".R") || n.endsWith(".r")) {
      return "r";
    }
    if (n.endsWith(".sh")) {
      return "shell";
    }
    if (n.endsWith(".pl")) {
      return "perl";
    }
    return n.endsWith(".jar") ? "jvm" : "other";
  }

  /**
   * Maps an interpreter or runtime name ({@code python3.11}, {@code Rscript}, {@code bash}, …)
   * to its canonical name; unknown names map to {@code other}.
   */
  public static String canonical(String name) {
    if (name == null || name.isBlank()) {
      return "other";
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    int slash = n.lastIndexOf('/');
    if (slash >= 0) {
      n = n.substring(slash + 1);
    }
    if (n.startsWith("python") || n.equals("py") || n.startsWith("pypy")) {
      return "python";
    }
    if (n.equals("r") || n.equals("rscript") || n.startsWith("r-") || n.equals("littler")) {
      return "r";
    }
    if (n.equals("sh") || n.equals("bash") || n.equals("shell") || n.equals("dash")
        || n.equals("zsh") || n.equals("ksh")) {
      return "shell";
    }
    if (n.equals("java") || n.equals("jvm") || n.equals("kotlin") || n.equals("scala")
        || n.equals("groovy")) {
      return "jvm";
    }
    if (n.startsWith("perl")) {
      return "perl";
    }
    if (n.equals("nextflow") || n.equals("snakemake")) {
      return n;
    }
    return "other";
  }
}
