package io.forge.model.features;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts {@link ScriptFeatures} from script text: heavy-library use detected from real import
 * syntax ({@code import x}, {@code from x import y}, {@code library(x)}, {@code require(x)},
 * {@code pkg::fn}) in code with comments and string literals removed, and parallelism hints.
 */
public final class ScriptScanner {

  private static final Pattern PY_IMPORT = Pattern.compile("^\\s*import\\s+(.+)$");
  private static final Pattern PY_FROM =
      Pattern.compile("^\\s*from\\s+([A-Za-z_][\\w.]*)\\s+import\\s+(.+)$");
  private static final Pattern PY_DYNAMIC =
      Pattern.compile("\\b(?:__import__|import_module)\\s*\\(\\s*([A-Za-z_][\\w.]*)");
  private static final Pattern R_LOAD =
      Pattern.compile(
          "\\b(?:library|require|requireNamespace|loadNamespace)\\s*\\(\\s*"
              + "(?:package\\s*=\\s*)?([A-Za-z][\\w.]*)");
  private static final Pattern R_NAMESPACE = Pattern.compile("\\b([A-Za-z][\\w.]*):::?[A-Za-z.]");
  private static final Pattern IDENT_USE = Pattern.compile("\\b([A-Za-z_]\\w*)\\s*[.(]");

  private static final Pattern PARALLEL =
      Pattern.compile(
          "\\b(?:n_jobs|njobs|n_threads|nthreads|num_threads|threads|n_workers|num_workers"
              + "|workers|processes|multiprocessing|ThreadPoolExecutor|ProcessPoolExecutor"
              + "|joblib|Pool|mclapply|parLapply|parSapply|makeCluster|registerDoParallel"
              + "|foreach|MulticoreParam|SnowParam|mc\\.cores|detectCores|cpu_count"
              + "|OMP_NUM_THREADS|MKL_NUM_THREADS|parallel|xargs)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern WORKER_COUNT =
      Pattern.compile(
          "\\b(?:n_jobs|njobs|n_threads|nthreads|num_threads|threads|n_workers|num_workers"
              + "|workers|processes|mc\\.cores|cores|OMP_NUM_THREADS|MKL_NUM_THREADS)"
              + "\\s*[=:]\\s*(-?\\d+)"
              + "|\\b(?:Pool|ThreadPoolExecutor|ProcessPoolExecutor|makeCluster"
              + "|registerDoParallel|MulticoreParam)\\s*\\(\\s*(-?\\d+)"
              + "|(?:^|\\s)(?:-P|-j|--threads|--cpus|-@|-t)\\s*=?\\s*(\\d+)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ALL_CORES =
      Pattern.compile("\\bn_jobs\\s*=\\s*-1\\b|\\bdetectCores\\s*\\(|\\bcpu_count\\s*\\(");

  private ScriptScanner() {}

  /**
   * Scans a script.
   *
   * @param script the script text (any status; unscanned scripts give size-only features)
   * @param canonicalRuntime the job's runtime from {@link Runtimes#canonical}; decides only how
   *     comments are recognised
   */
  public static ScriptFeatures scan(ScriptText script, String canonicalRuntime) {
    if (!script.scanned()) {
      return new ScriptFeatures(Map.of(), 0, 0, script.sizeBytes(), 0, script.status());
    }
    String code = CodeLexer.code(script.text(), "shell".equals(canonicalRuntime));
    Map<String, Integer> tokens = new HashMap<>();
    Map<String, String> boundNames = new HashMap<>();
    int lines = 0;
    for (String physical : code.split("\n", -1)) {
      if (physical.isBlank()) {
        continue;
      }
      lines++;
      for (String statement : physical.split(";")) {
        scanPythonImport(statement, tokens, boundNames);
      }
    }
    countMatches(PY_DYNAMIC, code, tokens, true);
    countMatches(R_LOAD, code, tokens, false);
    countMatches(R_NAMESPACE, code, tokens, false);
    countBoundNameUses(code, boundNames, tokens);

    int hints = 0;
    Matcher p = PARALLEL.matcher(code);
    while (p.find()) {
      hints++;
    }
    int workers = 0;
    Matcher w = WORKER_COUNT.matcher(code);
    while (w.find()) {
      for (int g = 1; g <= w.groupCount(); g++) {
        if (w.group(g) != null) {
          long value = parseOrZero(w.group(g));
          if (value > 0) {
            workers = (int) Math.max(workers, Math.min(value, ScriptFeatures.ALL_CORES));
          }
        }
      }
    }
    if (ALL_CORES.matcher(code).find()) {
      workers = ScriptFeatures.ALL_CORES;
    }
    return new ScriptFeatures(tokens, hints, workers, script.sizeBytes(), lines, script.status());
  }

  private static long parseOrZero(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return 0; // more digits than a long: not a worker count anyone meant
    }
  }

  private static void scanPythonImport(
      String statement, Map<String, Integer> tokens, Map<String, String> boundNames) {
    Matcher from = PY_FROM.matcher(statement);
    if (from.matches()) {
      String feature = Libraries.forPythonModule(from.group(1));
      if (feature != null) {
        tokens.merge(feature, 1, Integer::sum);
        for (String part : from.group(2).replace("(", " ").replace(")", " ").split(",")) {
          String bound = boundName(part);
          if (bound != null && !bound.equals("*")) {
            boundNames.put(bound, feature);
          }
        }
      }
      return;
    }
    Matcher imp = PY_IMPORT.matcher(statement);
    if (imp.matches()) {
      for (String part : imp.group(1).split(",")) {
        String[] words = part.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
          continue;
        }
        String feature = Libraries.forPythonModule(words[0]);
        if (feature != null) {
          tokens.merge(feature, 1, Integer::sum);
          String bound = boundName(part);
          if (bound != null) {
            boundNames.put(bound, feature);
          }
        }
      }
    }
  }

  /** The name an import clause binds: the alias after {@code as}, else the first component. */
  private static String boundName(String clause) {
    String[] words = clause.trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return null;
    }
    if (words.length >= 3 && words[1].equals("as")) {
      return words[2];
    }
    String first = words[0];
    int dot = first.indexOf('.');
    return dot < 0 ? first : first.substring(0, dot);
  }

  private static void countMatches(
      Pattern pattern, String code, Map<String, Integer> tokens, boolean python) {
    Matcher m = pattern.matcher(code);
    while (m.find()) {
      String name = m.group(1);
      String feature = python ? Libraries.forPythonModule(name) : Libraries.forRPackage(name);
      if (feature != null) {
        tokens.merge(feature, 1, Integer::sum);
      }
    }
  }

  private static void countBoundNameUses(
      String code, Map<String, String> boundNames, Map<String, Integer> tokens) {
    if (boundNames.isEmpty()) {
      return;
    }
    Matcher m = IDENT_USE.matcher(code);
    while (m.find()) {
      int start = m.start(1);
      if (start > 0 && code.charAt(start - 1) == '.') {
        continue; // an attribute of something else, e.g. self.np.
      }
      String feature = boundNames.get(m.group(1));
      if (feature != null && !isImportLine(code, start)) {
        tokens.merge(feature, 1, Integer::sum);
      }
    }
  }

  private static boolean isImportLine(String code, int pos) {
    int lineStart = code.lastIndexOf('\n', pos) + 1;
    String prefix = code.substring(lineStart, pos).stripLeading();
    return prefix.startsWith("import ") || prefix.startsWith("from ");
  }
}
