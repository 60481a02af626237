package io.forge.model.features;

import io.forge.model.ScriptText;
import io.forge.model.Words;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Extracts {@link ScriptFeatures} from script text: heavy-library use detected from real import
 * syntax ({@code import x}, {@code from x import y}, {@code __import__('x')}, {@code
 * library(x)}, {@code require(x)}, {@code pkg::fn}) in code with comments and string literals
 * removed, plus uses of the names those imports bind, and parallelism hints.
 *
 * <p>One hand-written pass over identifiers instead of a dozen regular expressions: compiling
 * and running those cost every launch tens of milliseconds before the JIT warms up, and a 1 KB
 * script took 0.29 ms.
 */
final class ScriptScanner {

  /** Words that hint at parallel execution (compared lower-case). */
  private static final Set<String> PARALLEL_WORDS =
      Set.of("n_jobs", "njobs", "n_threads", "nthreads", "num_threads", "threads", "n_workers",
          "num_workers", "workers", "processes", "multiprocessing", "threadpoolexecutor",
          "processpoolexecutor", "joblib", "pool", "mclapply", "parlapply", "parsapply",
          "makecluster", "registerdoparallel", "foreach", "multicoreparam", "snowparam",
          "mc.cores", "detectcores", "cpu_count", "omp_num_threads", "mkl_num_threads",
          "parallel", "xargs");

  /** Keywords whose {@code = N} or {@code : N} declares a worker count (lower-case). */
  private static final Set<String> COUNT_KEYWORDS =
      Set.of("n_jobs", "njobs", "n_threads", "nthreads", "num_threads", "threads", "n_workers",
          "num_workers", "workers", "processes", "mc.cores", "cores", "omp_num_threads",
          "mkl_num_threads");

  /** Calls whose first argument is a worker count (lower-case). */
  private static final Set<String> COUNT_CALLS =
      Set.of("pool", "threadpoolexecutor", "processpoolexecutor", "makecluster",
          "registerdoparallel", "multicoreparam");

  /** Command-line flags followed by a worker count ({@code xargs -P 8}, {@code -@ 4}). */
  private static final Set<String> COUNT_FLAGS =
      Set.of("-p", "-j", "--threads", "--cpus", "-@", "-t");

  private static final Set<String> R_LOADERS =
      Set.of("library", "require", "requireNamespace", "loadNamespace");

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
    Scan scan = new Scan(code);
    scan.pythonImports();
    scan.identifiers();
    scan.commandLineFlags();
    return new ScriptFeatures(scan.tokens, scan.hints, scan.workers, script.sizeBytes(),
        scan.lines, script.status());
  }

  /** The state of one pass. */
  private static final class Scan {
    final String code;
    final Map<String, Integer> tokens = new HashMap<>();
    final Map<String, String> bound = new HashMap<>();
    int lines;
    int hints;
    int workers;

    Scan(String code) {
      this.code = code;
    }

    /** Import statements, line by line ({@code ;} separates statements). */
    void pythonImports() {
      int start = 0;
      int n = code.length();
      while (start <= n) {
        int end = code.indexOf('\n', start);
        if (end < 0) {
          end = n;
        }
        String line = code.substring(start, end);
        if (!line.isBlank()) {
          lines++;
          for (String statement : line.split(";")) {
            importStatement(statement.strip());
          }
        }
        start = end + 1;
      }
    }

    private void importStatement(String s) {
      if (s.startsWith("import ") || s.startsWith("import\t")) {
        for (String clause : s.substring(7).split(",")) {
          String[] words = Words.of(clause);
          if (words.length == 0) {
            continue;
          }
          String feature = Libraries.forPythonModule(words[0]);
          if (feature != null && CodeLexer.isDotted(words[0])) {
            count(feature);
            String name = words.length >= 3 && words[1].equals("as") ? words[2]
                : firstSegment(words[0]);
            bound.put(name, feature);
          }
        }
      } else if (s.startsWith("from ")) {
        String[] head = Words.of(s.substring(5), 3);
        if (head.length == 3 && head[1].equals("import") && CodeLexer.isDotted(head[0])) {
          String feature = Libraries.forPythonModule(head[0]);
          if (feature != null) {
            count(feature);
            for (String clause : head[2].replace("(", " ").replace(")", " ").split(",")) {
              String[] words = Words.of(clause);
              if (words.length == 0 || words[0].equals("*")) {
                continue;
              }
              bound.put(words.length >= 3 && words[1].equals("as") ? words[2] : words[0],
                  feature);
            }
          }
        }
      }
    }

    /** Every identifier: library loads and uses, parallel hints, worker counts. */
    void identifiers() {
      int n = code.length();
      int i = 0;
      while (i < n) {
        char c = code.charAt(i);
        if (!CodeLexer.isIdentStart(c)) {
          i++;
          continue;
        }
        int start = i;
        while (i < n && CodeLexer.isIdentPart(code.charAt(i))) {
          i++;
        }
        int end = i;
        // A trailing dot belongs to attribute access, not to the name.
        while (end > start && code.charAt(end - 1) == '.') {
          end--;
        }
        boolean attributeOfSomething = start > 0 && code.charAt(start - 1) == '.';
        boolean insideAWord = start > 0 && CodeLexer.isIdentPart(code.charAt(start - 1));
        if (!attributeOfSomething && !insideAWord) {
          identifier(code.substring(start, end), start, end);
        }
      }
    }

    private void identifier(String word, int start, int end) {
      int next = skipSpaces(end);
      char after = next < code.length() ? code.charAt(next) : '\0';
      String lower = word.toLowerCase(Locale.ROOT);
      if (PARALLEL_WORDS.contains(lower)) {
        hints++;
      }
      if (lower.equals("n_jobs") && after == '=' && code.startsWith("-1", skipSpaces(next + 1))
          && !isDigitAt(skipSpaces(next + 1) + 2)) {
        workers = ScriptFeatures.ALL_CORES;
      }
      if ((lower.equals("detectcores") || lower.equals("cpu_count")) && after == '(') {
        workers = ScriptFeatures.ALL_CORES;
      }
      if (COUNT_KEYWORDS.contains(lower) && (after == '=' || after == ':')
          && !code.startsWith("==", next)) {
        declareWorkers(skipSpaces(next + 1));
      }
      if (COUNT_CALLS.contains(lower) && after == '(') {
        declareWorkers(skipSpaces(next + 1));
      }
      if (after == '(' && R_LOADERS.contains(word)) {
        rLoad(skipSpaces(next + 1));
      }
      if ((word.equals("__import__") || word.equals("import_module")) && after == '(') {
        String module = identifierAt(skipSpaces(next + 1));
        String feature = module == null ? null : Libraries.forPythonModule(module);
        if (feature != null) {
          count(feature);
        }
      }
      if (code.startsWith("::", end)) {
        String feature = Libraries.forRPackage(word);
        if (feature != null) {
          count(feature);
        }
      }
      String head = firstSegment(word);
      String feature = bound.get(head);
      boolean used = head.length() < word.length() || after == '.' || after == '(';
      if (feature != null && used && !onImportLine(start)) {
        count(feature);
      }
    }

    private void rLoad(int at) {
      String pkg = identifierAt(at);
      if (pkg != null && pkg.equals("package")) {
        int eq = skipSpaces(at + pkg.length());
        if (eq < code.length() && code.charAt(eq) == '=') {
          pkg = identifierAt(skipSpaces(eq + 1));
        }
      }
      String feature = pkg == null ? null : Libraries.forRPackage(pkg);
      if (feature != null) {
        count(feature);
      }
    }

    /** {@code -P 8}, {@code --threads=8}: flags of command-line tools in shell code. */
    void commandLineFlags() {
      String[] words = Words.of(code);
      for (int k = 0; k < words.length; k++) {
        String w = words[k].toLowerCase(Locale.ROOT);
        int eq = w.indexOf('=');
        String flag = eq > 0 ? w.substring(0, eq) : w;
        if (!COUNT_FLAGS.contains(flag)) {
          continue;
        }
        String value = eq > 0 ? w.substring(eq + 1) : k + 1 < words.length ? words[k + 1] : "";
        if (!value.isEmpty() && allDigits(value)) {
          setWorkers(parse(value));
        }
      }
    }

    private void declareWorkers(int at) {
      int i = at;
      boolean negative = i < code.length() && code.charAt(i) == '-';
      if (negative) {
        i++;
      }
      int digitsEnd = i;
      while (digitsEnd < code.length() && Character.isDigit(code.charAt(digitsEnd))) {
        digitsEnd++;
      }
      if (digitsEnd > i && !negative) {
        setWorkers(parse(code.substring(i, digitsEnd)));
      }
    }

    private void setWorkers(long value) {
      if (value > 0 && workers != ScriptFeatures.ALL_CORES) {
        workers = (int) Math.max(workers, Math.min(value, ScriptFeatures.ALL_CORES));
      }
    }

    private String identifierAt(int at) {
      if (at >= code.length() || !CodeLexer.isIdentStart(code.charAt(at))) {
        return null;
      }
      int end = at;
      while (end < code.length() && CodeLexer.isIdentPart(code.charAt(end))) {
        end++;
      }
      return code.substring(at, end);
    }

    private boolean onImportLine(int pos) {
      int lineStart = code.lastIndexOf('\n', pos) + 1;
      String prefix = code.substring(lineStart, pos).stripLeading();
      return prefix.startsWith("import ") || prefix.startsWith("from ");
    }

    private int skipSpaces(int i) {
      while (i < code.length() && (code.charAt(i) == ' ' || code.charAt(i) == '\t')) {
        i++;
      }
      return i;
    }

    private static boolean allDigits(String text) {
      for (int i = 0; i < text.length(); i++) {
        if (!Character.isDigit(text.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private boolean isDigitAt(int i) {
      return i < code.length() && Character.isDigit(code.charAt(i));
    }

    private void count(String feature) {
      Integer seen = tokens.get(feature);
      tokens.put(feature, seen == null ? 1 : seen + 1);
    }
  }

  private static long parse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return 0; // more digits than a long: not a worker count anyone meant
    }
  }

  private static String firstSegment(String dotted) {
    int dot = dotted.indexOf('.');
    return dot < 0 ? dotted : dotted.substring(0, dot);
  }
}
