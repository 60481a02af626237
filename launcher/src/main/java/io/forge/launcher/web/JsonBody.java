package io.forge.launcher.web;

import io.forge.model.Json;
import io.forge.model.Plausible;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * A request's JSON object with typed, validated accessors; every problem becomes a 4xx {@link
 * ApiError} naming the field.
 */
final class JsonBody {

  /** Largest accepted request body: a 10 MB script (the scanner's limit) plus room for JSON. */
  static final int MAX_BYTES = 11 * 1024 * 1024;

  private final Map<String, Object> fields;

  private JsonBody(Map<String, Object> fields) {
    this.fields = fields;
  }

  /**
   * The request's body as a JSON object; a declared {@code Content-Length} over {@link
   * #MAX_BYTES} is refused before a byte of the body is read.
   */
  static JsonBody read(com.sun.net.httpserver.HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declared.trim().matches("\\d{1,18}")
        && Long.parseLong(declared.trim()) > MAX_BYTES) {
      throw new ApiError(413, "request body larger than " + MAX_BYTES / (1024 * 1024) + " MB");
    }
    return read(ex.getRequestBody());
  }

  static JsonBody read(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new ApiError(413, "request body larger than " + MAX_BYTES / (1024 * 1024) + " MB");
    }
    if (bytes.length == 0) {
      throw new ApiError(400, "empty body: send a JSON object");
    }
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{") && !text.equals("null")) {
      throw new ApiError(400, "the body must be a JSON object ({...})");
    }
    Map<String, Object> fields;
    try {
      fields = Json.readObject(text);
    } catch (JacksonException e) {
      String detail = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage();
      int nl = detail.indexOf('\n');
      throw new ApiError(400, "malformed JSON" + (nl > 0 ? detail.substring(0, nl) : detail));
    }
    if (fields == null) {
      throw new ApiError(400, "the body must be a JSON object, not null");
    }
    return new JsonBody(fields);
  }

  String string(String name, boolean required) {
    Object v = fields.get(name);
    if (v == null) {
      if (required) {
        throw new ApiError(400, "missing field '" + name + "' (a string)");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ApiError(400, "field '" + name + "' must be a string");
    }
    return s;
  }

  Double number(String name, boolean required, double min) {
    Object v = fields.get(name);
    if (v == null) {
      if (required) {
        throw new ApiError(400, "missing field '" + name + "' (a number)");
      }
      return null;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new ApiError(400, "field '" + name + "' must be a finite number");
    }
    if (n.doubleValue() < min) {
      throw new ApiError(400, "field '" + name + "' must be >= " + (long) min + ", got " + n);
    }
    return n.doubleValue();
  }

  Integer integer(String name) {
    Object v = fields.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() != ((Number) v)
        .intValue()) {
      throw new ApiError(400, "field '" + name + "' must be an integer");
    }
    return ((Number) v).intValue();
  }

  /** A required array of at most {@code max} strings. */
  List<String> strings(String name, int max) {
    Object v = fields.get(name);
    if (!(v instanceof List<?> list)) {
      throw new ApiError(400, "field '" + name + "' must be an array of strings");
    }
    if (list.size() > max) {
      throw new ApiError(400, "field '" + name + "' holds more than " + max + " items");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new ApiError(400, "field '" + name + "' must hold only strings");
      }
      out.add(s);
    }
    return out;
  }

  List<Double> sizes(String name) {
    Object v = fields.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new ApiError(400, "field '" + name + "' must be an array of sizes in MB");
    }
    if (list.size() > 100_000) {
      throw new ApiError(400, "field '" + name + "' lists more than 100000 inputs");
    }
    List<Double> sizes = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new ApiError(400, "field '" + name + "' must hold only numbers (MB)");
      }
      Plausible.inputMb("field '" + name + "'", n.doubleValue()).ifPresent(why -> {
        throw new ApiError(400, why);
      });
      sizes.add(n.doubleValue());
    }
    return sizes;
  }
}
