package io.forge.model.history;

import io.forge.model.ScriptText;
import io.forge.model.features.Libraries;
import io.forge.model.features.ScriptFeatures;
import java.util.HashMap;
import java.util.Map;

/**
 * Stores script features by name, so that rows recorded under one feature layout still train a
 * model with a later layout: {@code libs=numpy:2,pandas:1;parallel_hints=1;declared_workers=4;
 * script_bytes=1234;script_lines=40;status=OK}. Only non-zero library counts are written. A
 * plain format rather than JSON keeps a JSON library off the path of every launch.
 */
final class ScriptFeaturesCodec {

  private ScriptFeaturesCodec() {}

  static String encode(ScriptFeatures f) {
    StringBuilder libs = new StringBuilder();
    for (Map.Entry<String, Integer> token : f.allTokens().entrySet()) {
      if (token.getValue() > 0) {
        libs.append(libs.length() == 0 ? "" : ",").append(token.getKey()).append(':')
            .append(token.getValue());
      }
    }
    return "libs=" + libs
        + ";parallel_hints=" + f.parallelHints()
        + ";declared_workers=" + f.declaredWorkers()
        + ";script_bytes=" + f.scriptBytes()
        + ";script_lines=" + f.scriptLines()
        + ";status=" + f.status().name();
  }

  static ScriptFeatures decode(String text) {
    if (text == null || text.isBlank()) {
      return ScriptFeatures.none();
    }
    Map<String, String> fields = new HashMap<>();
    for (String part : text.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    Map<String, Integer> libs = new HashMap<>();
    for (String lib : fields.getOrDefault("libs", "").split(",")) {
      int colon = lib.indexOf(':');
      // A library dropped from a later layout is ignored rather than failing old rows.
      if (colon > 0 && Libraries.NAMES.contains(lib.substring(0, colon))) {
        libs.put(lib.substring(0, colon), (int) number(lib.substring(colon + 1)));
      }
    }
    ScriptText.Status status;
    try {
      status = ScriptText.Status.valueOf(fields.getOrDefault("status", "ABSENT"));
    } catch (IllegalArgumentException e) {
      status = ScriptText.Status.ABSENT;
    }
    return new ScriptFeatures(
        libs,
        (int) number(fields.get("parallel_hints")),
        (int) number(fields.get("declared_workers")),
        number(fields.get("script_bytes")),
        (int) number(fields.get("script_lines")),
        status);
  }

  private static long number(String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
