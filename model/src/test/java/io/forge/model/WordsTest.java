package io.forge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

  private static final List<String> TEXTS = List.of("", "   ", "one", "  one  two\tthree \n",
      "a\u000bb\fc\rd", "import numpy as np", "  from x.y import (a, b)  ",
      "12345 (python3) S 1 12345 12345 0 -1", "VmRSS:\t    1234 kB", "usage_usec 81234");

  @Test
  void splitsAsTheRegularExpressionWouldAfterAStrip() {
    for (String text : TEXTS) {
      String stripped = text.strip();
      String[] expected = stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
      assertArrayEquals(expected, Words.of(text), "'" + text + "'");
    }
  }

  @Test
  void aLimitKeepsTheRestWholeAsTheRegularExpressionWould() {
    for (String text : TEXTS) {
      for (int limit = 1; limit <= 4; limit++) {
        String stripped = text.strip();
        String[] expected = stripped.isEmpty() ? new String[0] : stripped.split("\\s+", limit);
        assertArrayEquals(expected, Words.of(text, limit), "'" + text + "' limit " + limit);
      }
    }
    assertArrayEquals(new String[] {"x", "import", "a,  b"},
        Words.of("  x  import a,  b \n", 3));
  }
}
