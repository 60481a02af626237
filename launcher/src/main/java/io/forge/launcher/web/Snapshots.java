package io.forge.launcher.web;

import com.sun.net.httpserver.HttpExchange;
import io.forge.model.snapshot.PredictorSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET …/snapshot}: the server's launch snapshot (model, calibration, what each analysis
 * has shown), so that nodes recording through the server predict as its own launches do. Its
 * {@code ETag} is the file's size and time: a node that has it gets 304.
 */
final class Snapshots {

  private Snapshots() {}

  static void send(HttpExchange ex, Path home) throws IOException {
    Path file = PredictorSnapshot.file(home);
    if (!Files.isRegularFile(file)) {
      throw new ApiError(404, "no snapshot yet: the server has not read its history");
    }
    String tag = "\"" + Files.size(file) + "-" + Files.getLastModifiedTime(file).toMillis()
        + "\"";
    ex.getResponseHeaders().set("ETag", tag);
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    if (tag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
