package io.forge.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace-separated words, as {@code text.strip().split("\\s+")} would give them, without a
 * regular expression: the launch path splits {@code /proc} lines and script statements, and
 * compiling a pattern there costs every launch more than the split itself.
 */
public final class Words {

  private Words() {}

  /** The words of {@code text}; none for blank text. */
  public static String[] of(String text) {
    return of(text, 0);
  }

  /**
   * The words of {@code text}, at most {@code limit} of them when {@code limit > 0}: the last
   * one then holds the rest of the text from its first word on, inner whitespace kept (as
   * {@code split("\\s+", limit)} does after a {@code strip()}).
   */
  public static String[] of(String text, int limit) {
    List<String> words = new ArrayList<>();
    int n = text.length();
    int i = skipSpace(text, 0);
    while (i < n) {
      if (limit > 0 && words.size() == limit - 1) {
        int end = n;
        while (end > i && Character.isWhitespace(text.charAt(end - 1))) {
          end--;
        }
        words.add(text.substring(i, end));
        break;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      words.add(text.substring(start, i));
      i = skipSpace(text, i);
    }
    return words.toArray(new String[0]);
  }

  private static int skipSpace(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
