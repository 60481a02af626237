package io.forge.model.store;

import io.forge.model.Json;
import io.forge.model.features.Libraries;
import io.forge.model.features.ScriptFeatures;
import io.forge.model.features.ScriptText;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores script features by name (JSON), so that rows recorded under one feature layout still
 * train a model with a later layout. Only non-zero library counts are written.
 */
final class ScriptFeaturesCodec {

  private ScriptFeaturesCodec() {}

  static String encode(ScriptFeatures f) {
    Map<String, Object> j = new LinkedHashMap<>();
    Map<String, Integer> libs = new LinkedHashMap<>();
    f.allTokens().forEach((k, v) -> {
      if (v > 0) {
        libs.put(k, v);
      }
    });
    j.put("libs", libs);
    j.put("parallel_hints", f.parallelHints());
    j.put("declared_workers", f.declaredWorkers());
    j.put("script_bytes", f.scriptBytes());
    j.put("script_lines", f.scriptLines());
    j.put("status", f.status().name());
    return Json.write(j);
  }

  static ScriptFeatures decode(String json) {
    if (json == null || json.isBlank()) {
      return ScriptFeatures.none();
    }
    Map<String, Object> j = Json.readObject(json);
    Map<String, Integer> libs = new HashMap<>();
    if (j.get("libs") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        // A library dropped from a later layout is ignored rather than failing old rows.
        if (Libraries.NAMES.contains(String.valueOf(k)) && v instanceof Number n) {
          libs.put(String.valueOf(k), n.intValue());
        }
      });
    }
    return new ScriptFeatures(
        libs,
        intOf(j.get("parallel_hints")),
        intOf(j.get("declared_workers")),
        j.get("script_bytes") instanceof Number n ? n.longValue() : 0L,
        intOf(j.get("script_lines")),
        ScriptText.Status.valueOf(String.valueOf(j.getOrDefault("status", "ABSENT"))));
  }

  private static int intOf(Object o) {
    return o instanceof Number n ? n.intValue() : 0;
  }
}
