package io.forge.launcher.web;

import com.sun.net.httpserver.HttpExchange;
import io.forge.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writing answers: JSON, pages, errors (after the request body is read or discarded), HEAD. */
final class Responses {

  private Responses() {}

  /**
   * Most a refused request's body is read and discarded before the answer, so that the client,
   * still sending, reads the answer instead of a connection reset (the JDK server discards only
   * 64 KB of an unread body before it closes the connection). Beyond this the connection is
   * closed after the answer (at once when the request declares a longer body).
   */
  static final long DRAIN_BYTES = 64L * 1024 * 1024;

  /** Answers an error after discarding what is left of the request body. */
  static void error(HttpExchange ex, int status, String message) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    boolean huge = declared != null && !declared.trim().matches("\\d{1,16}");
    if (huge || declared != null && Long.parseLong(declared.trim()) > DRAIN_BYTES
        || !drain(ex.getRequestBody(), DRAIN_BYTES)) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    json(ex, status, Map.of("error", message));
  }

  /** Reads and drops up to {@code limit} bytes; true when the stream ended within them. */
  static boolean drain(java.io.InputStream in, long limit) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long read = 0;
    int n;
    while (read <= limit && (n = in.read(buffer)) >= 0) {
      read += n;
    }
    return read <= limit;
  }

  static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", Json.write(body));
  }

  static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (ex.getRequestMethod().equals("HEAD")) {
      // The length a GET would receive; -1 tells the JDK server that no body follows.
      ex.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      ex.sendResponseHeaders(status, -1);
      ex.getResponseBody().close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
