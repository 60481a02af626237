package io.forge.model.features;

/**
 * Blanks out comments and string literals of Python, R and shell source so that import
 * detection sees only code. Newlines are kept (line structure matters for imports). A string
 * whose whole content is a package-like name ({@code "Seurat"}, {@code 'data.table'}) is kept
 * without its quotes, because {@code library("Seurat")} and {@code library(Seurat)} are the same
 * load; any other string is replaced by blanks, so {@code print("import torch")} is not an
 * import.
 */
final class CodeLexer {

  private CodeLexer() {}

  /**
   * Returns {@code source} with comments and string literals blanked.
   *
   * @param shellComments when true, {@code #} starts a comment only at the start of a word (as
   *     in POSIX shell, where {@code $#} and {@code ${#x}} are not comments)
   */
  static String code(String source, boolean shellComments) {
    StringBuilder out = new StringBuilder(source.length());
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (c == '#' && (!shellComments || i == 0 || isWordBoundary(source.charAt(i - 1)))) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (c == '"' || c == '\'') {
        boolean triple = !shellComments && i + 2 < n && source.charAt(i + 1) == c
            && source.charAt(i + 2) == c;
        int start = i + (triple ? 3 : 1);
        int end = findStringEnd(source, start, c, triple, shellComments);
        String content = source.substring(start, Math.min(end, n));
        if (!triple && isPackageName(content)) {
          out.append(content);
        } else {
          for (int k = 0; k < content.length(); k++) {
            out.append(content.charAt(k) == '\n' ? '\n' : ' ');
          }
        }
        i = Math.min(n, end + (triple ? 3 : 1));
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isWordBoundary(char prev) {
    return Character.isWhitespace(prev) || prev == ';' || prev == '(' || prev == '&'
        || prev == '|';
  }

  private static int findStringEnd(
      String s, int from, char quote, boolean triple, boolean shell) {
    int n = s.length();
    int i = from;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\\' && !(shell && quote == '\'')) {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (!triple) {
          return i;
        }
        if (i + 2 < n && s.charAt(i + 1) == quote && s.charAt(i + 2) == quote) {
          return i;
        }
      }
      if (c == '\n' && !triple && !shell) {
        // An unterminated one-line string in Python ends at the line; R strings may span
        // lines, but a stray quote in a comment-free line is far more common in practice.
        return i;
      }
      i++;
    }
    return n;
  }

  private static boolean isPackageName(String content) {
    return content.length() <= 64 && !content.isEmpty() && Character.isLetter(content.charAt(0))
        && isDotted(content);
  }

  /** A character that may start an identifier. */
  static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  /** A character of a (possibly dotted) identifier. */
  static boolean isIdentPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  /** A dotted name: {@code numpy}, {@code scipy.sparse}. */
  static boolean isDotted(String name) {
    if (name.isEmpty() || !isIdentStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      if (!isIdentPart(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
