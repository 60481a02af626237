package io.forge.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the project; non-finite numbers are written as {@code null}. */
public final class Json {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private Json() {}

  /** The shared mapper (thread-safe). */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** Compact JSON of a value made of maps, lists, strings, numbers and booleans. */
  public static String write(Object value) {
    return MAPPER.writeValueAsString(finite(value));
  }

  /** Indented JSON, for people. */
  public static String writePretty(Object value) {
    return PRETTY.writeValueAsString(finite(value));
  }

  /**
   * Parses a JSON object.
   *
   * @throws tools.jackson.core.JacksonException when the text is not a JSON object
   */
  public static Map<String, Object> readObject(String json) {
    return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
  }

  /** Replaces NaN and infinities (which JSON cannot hold) by null, recursively. */
  static Object finite(Object value) {
    if (value instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    if (value instanceof Float f && !Float.isFinite(f)) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, finite(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(finite(v)));
      return copy;
    }
    return value;
  }
}
