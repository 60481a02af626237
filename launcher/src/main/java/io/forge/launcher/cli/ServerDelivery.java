package io.forge.launcher.cli;

import io.forge.model.db.SpoolIngestion;
import io.forge.model.history.RecorderIdentity;
import io.forge.model.snapshot.PredictorSnapshot;
import io.forge.model.spool.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code FORGE_SERVER=http://host:8321}: a node that records through {@code forge-launch serve}
 * instead of holding database credentials. Its launches spool as always; after each job the
 * settled runs (and those whose launcher died, as {@code abandoned}) go to the server's {@code
 * POST …/spool} in batches and leave the spool once it answered, and the server's launch
 * snapshot comes back when it changed ({@code ETag}), so the node predicts with the shared
 * model and history. A server that is down leaves the runs spooled for the next launch: a run
 * is delivered at least once and stored once (the server's insert and settle are idempotent).
 */
final class ServerDelivery {

  /** Runs per request. */
  static final int BATCH = 500;

  private static final String API = "/api/forge/resource-predictor";

  private ServerDelivery() {}

  /**
   * Delivers this home's settled runs and fetches the snapshot.
   *
   * @param token the server's API token ({@code FORGE_API_TOKEN}), or null
   * @throws IOException when the server cannot be reached or refuses the runs (they stay)
   */
  static void deliver(Path home, String server, String token, Instant now)
      throws IOException {
    Spool spool = new Spool(home);
    List<Spool.Entry> ready = new ArrayList<>();
    for (Spool.Entry e : spool.entries(new ArrayList<>())) {
      Optional<Spool.Entry> r = SpoolIngestion.resolve(e, RecorderIdentity.current(), now);
      if (r.isPresent() && r.get().settlement() != null) {
        ready.add(r.get());
      }
    }
    String base = base(server);
    for (int from = 0; from < ready.size(); from += BATCH) {
      List<Spool.Entry> batch = ready.subList(from, Math.min(ready.size(), from + BATCH));
      StringBuilder body = new StringBuilder("{\"runs\":[");
      for (int i = 0; i < batch.size(); i++) {
        body.append(i == 0 ? "" : ",");
        jsonString(Spool.text(batch.get(i)), body);
      }
      body.append("]}");
      HttpURLConnection post = open(base + API + "/spool", token);
      post.setRequestMethod("POST");
      post.setDoOutput(true);
      post.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = post.getOutputStream()) {
        out.write(body.toString().getBytes(StandardCharsets.UTF_8));
      }
      int status = post.getResponseCode();
      if (status != 200) {
        InputStream error = post.getErrorStream();
        throw new IOException("the server at " + server + " answered " + status + ": "
            + (error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8)));
      }
      post.getInputStream().readAllBytes();
      for (Spool.Entry e : batch) {
        spool.remove(e.file());
      }
    }
    fetchSnapshot(base, home, token);
  }

  /**
   * A connection with short timeouts ({@code java.net.HttpURLConnection}: the JDK's {@code
   * HttpClient} and Jackson cost a launch a second of start-up, this a few milliseconds).
   */
  private static HttpURLConnection open(String url, String token) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(800);
    c.setReadTimeout(5000);
    if (token != null && !token.isBlank()) {
      c.setRequestProperty("Authorization", "Bearer " + token);
    }
    return c;
  }

  /** Whether the server answers {@code /healthz}, for {@code doctor}. */
  static String reach(String server) {
    try {
      HttpURLConnection c = open(base(server) + "/healthz", null);
      int status = c.getResponseCode();
      return status == 200 ? "answers" : "answered " + status;
    } catch (IOException | RuntimeException e) {
      return "unreachable: " + ForgeLaunch.oneLine(e);
    }
  }

  /** The server's URL without a trailing slash. */
  private static String base(String server) {
    return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  /** Appends {@code s} as a JSON string. */
  static void jsonString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append("\\u00").append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  /** The server's snapshot into this home, unless the one here is the same ({@code ETag}). */
  private static void fetchSnapshot(String base, Path home, String token)
      throws IOException {
    Path file = PredictorSnapshot.file(home);
    Path tagFile = file.resolveSibling(file.getFileName() + ".etag");
    HttpURLConnection get = open(base + API + "/snapshot", token);
    if (Files.isRegularFile(file) && Files.isRegularFile(tagFile)) {
      get.setRequestProperty("If-None-Match",
          Files.readString(tagFile, StandardCharsets.US_ASCII).trim());
    }
    if (get.getResponseCode() != 200) {
      return; // 304: the same; 404: the server has none yet
    }
    byte[] bytes;
    try (InputStream in = get.getInputStream()) {
      bytes = in.readAllBytes();
    }
    Files.createDirectories(home);
    Path partial = Files.createTempFile(home, "snapshot-", ".partial");
    try {
      Files.write(partial, bytes);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    String tag = get.getHeaderField("ETag");
    Files.writeString(tagFile, tag == null ? "" : tag, StandardCharsets.US_ASCII);
  }
}
