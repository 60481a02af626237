package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.web.DashboardServer;
import io.forge.model.Json;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The real server on an ephemeral port over a database filled by real launches. */
@EnabledOnOs(OS.LINUX)
class DashboardIT {

  @TempDir static Path home;
  static DashboardServer server;
  static HttpClient http = HttpClient.newHttpClient();
  static String base;

  @BeforeAll
  static void launchJobsAndServe() throws Exception {
    Launcher launcher = new Launcher(home);
    String hog = Launcher.job("hog.py").toString();
    for (int mb : new int[] {20, 60, 120}) {
      assertEquals(0, launcher.run("--quiet", "--", "python3", hog, "" + mb, "0.1").exitCode());
    }
    assertEquals(0, launcher.run("--quiet", "--analysis-id", "<script>alert(1)</script>", "--",
        "python3", hog, "10", "0.1").exitCode());
    assertEquals(137, launcher.run("--quiet", "--mode", "deterministic", "--memory-limit-mb",
        "60", "--", "python3", hog, "200", "1").exitCode());
    server = Launcher.serve(home);
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> stats() throws Exception {
    HttpResponse<String> r = get("/api/forge/resource-predictor/stats");
    assertEquals(200, r.statusCode(), r.body());
    return Json.readObject(r.body());
  }

  @Test
  void statsCountEveryLaunchedRunAndScoreOnlyCompletedOnes() throws Exception {
    Map<String, Object> s = stats();
    List<?> points = (List<?>) s.get("points");
    long completed = points.stream()
        .map(p -> ((Map<?, ?>) p).get("outcome"))
        .filter(o -> o.equals("ok") || o.equals("failed"))
        .count();
    long settledInHistory = new Launcher(home).history().stream()
        .filter(r -> r.get("actual_rss_mb") != null && r.get("predicted_rss_mb") != null)
        .count();
    assertTrue(points.size() >= 5, s.toString());
    assertEquals(settledInHistory, points.size(), "one point per settled run");
    assertEquals(points.size(), ((Number) s.get("runs_settled")).intValue());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> byBasis = (Map<String, Map<String, Object>>) s.get(
        "by_basis");
    long scored = byBasis.values().stream()
        .mapToLong(g -> ((Number) g.get("runs_evaluated")).longValue()).sum();
    assertEquals(completed, scored, "oom_killed runs are drawn, not scored");
    assertEquals(0, ((Number) s.get("runs_evaluated")).intValue(),
        "no model yet: the headline scores nothing, rather than the priors' guesses");
    assertTrue(completed < points.size(), "the capped run is among the points");
    assertTrue(s.containsKey("targets") && s.containsKey("retrain_reason"));
  }

  @Test
  void thePageEscapesAnalysisIdsAndDrawsAPointPerSettledRun() throws Exception {
    HttpResponse<String> r = get("/forge/resource-predictor");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String page = r.body();
    assertFalse(page.contains("<script>alert(1)</script>"), "an analysis id ran as markup");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    int settled = ((Number) stats().get("runs_settled")).intValue();
    assertEquals(3 * settled, page.split("<circle class=\"point", -1).length - 1);
    assertFalse(page.contains("<script"), "the page runs no script");
    assertFalse(page.matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing fetched elsewhere");
  }

  @Test
  void predictReturnsThePredictionJson() throws Exception {
    HttpResponse<String> r = post("/api/forge/resource-predictor/predict",
        "{\"script_text\":\"import numpy as np\\nnp.zeros(3)\",\"runtime_name\":\"python3\","
            + "\"input_sizes_mb\":[12.5, 3],\"analysis_id\":\"hog.py\"}");
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Object> p = Json.readObject(r.body());
    for (String key : List.of("cpu_seconds", "peak_rss_mb", "wall_seconds", "confidence",
        "intervals", "model_version", "basis")) {
      assertTrue(p.containsKey(key), key + " missing: " + p);
    }
    assertEquals("history", p.get("basis"), "hog.py has run before");
  }

  @Test
  void anExecutorClosesTheLoopOverHttp() throws Exception {
    HttpResponse<String> rec = post("/api/forge/resource-predictor/runs",
        "{\"analysis_id\":\"remote-step\",\"runtime_name\":\"Rscript\","
            + "\"script_text\":\"library(DESeq2)\",\"input_sizes_mb\":[40],\"mode\":\"enforce\"}");
    assertEquals(201, rec.statusCode(), rec.body());
    Map<String, Object> run = Json.readObject(rec.body());
    String runId = (String) run.get("run_id");
    @SuppressWarnings("unchecked")
    Map<String, Object> decision = (Map<String, Object>) run.get("decision");
    assertEquals(false, decision.get("refused"));
    assertEquals(8192.0, ((Number) decision.get("memory_limit_mb")).doubleValue(),
        "a prior gives the static slot");

    HttpResponse<String> settle = post("/api/forge/resource-predictor/runs/" + runId
        + "/settle", "{\"cpu_seconds\":12.5,\"peak_rss_mb\":640,\"wall_seconds\":14,"
        + "\"exit_code\":0}");
    assertEquals(200, settle.statusCode(), settle.body());
    assertEquals(409, post("/api/forge/resource-predictor/runs/" + runId + "/settle",
        "{\"cpu_seconds\":1,\"peak_rss_mb\":1,\"wall_seconds\":1}").statusCode());
    assertEquals(404, post("/api/forge/resource-predictor/runs/no-such-run/settle",
        "{\"cpu_seconds\":1,\"peak_rss_mb\":1,\"wall_seconds\":1}").statusCode());

    HttpResponse<String> next = post("/api/forge/resource-predictor/predict",
        "{\"analysis_id\":\"remote-step\",\"runtime_name\":\"Rscript\"}");
    Map<String, Object> p = Json.readObject(next.body());
    assertEquals("history", p.get("basis"), "the settled run now informs predictions");
    assertEquals(640.0, ((Number) p.get("peak_rss_mb")).doubleValue(), 0.01);
    Map<String, Object> killed = Json.readObject(post("/api/forge/resource-predictor/runs",
        "{\"analysis_id\":\"remote-step\",\"runtime_name\":\"Rscript\"}").body());
    HttpResponse<String> byCode = post("/api/forge/resource-predictor/runs/"
        + killed.get("run_id") + "/settle",
        "{\"cpu_seconds\":3,\"peak_rss_mb\":700,\"wall_seconds\":4,\"exit_code\":137}");
    assertEquals("oom_killed", Json.readObject(byCode.body()).get("outcome"),
        "an exit code reads as forge-launch's own: 137 is a kill at the cap");
  }

  @Test
  void badInputIsAJsonErrorWithA4xxStatusAndTheServerKeepsServing() throws Exception {
    String predict = "/api/forge/resource-predictor/predict";
    assertError(post(predict, "{not json"), 400, "malformed JSON");
    assertError(post(predict, ""), 400, "empty body");
    assertError(post(predict, "{\"runtime_name\": 7}"), 400, "runtime_name");
    assertError(post(predict, "{\"script_text\": \"x\"}"), 400, "missing field 'runtime_name'");
    assertError(post(predict, "{\"runtime_name\":\"python\",\"input_sizes_mb\":[1,-2]}"), 400,
        "negative");
    assertError(post(predict, "{\"runtime_name\":\"python\",\"input_sizes_mb\":\"big\"}"), 400,
        "array");
    assertError(post(predict, "[1,2]"), 400, "must be a JSON object");
    assertError(get("/api/forge/resource-predictor/nothing"), 404, "no such route");
    assertError(get(predict), 405, "use POST");
    assertError(get("/api/forge/resource-predictor/stats?last=zero"), 400, "last");
    assertError(post(predict, "null"), 400, "JSON object");
    assertError(post(predict, "{\"runtime_name\":\"python\",\"input_sizes_mb\":[1e308,1e308]}"),
        400, "beyond any machine");
    String runs = "/api/forge/resource-predictor/runs";
    assertError(post(runs, "{\"analysis_id\":\"x\",\"runtime_name\":\"python\","
        + "\"memory_limit_mb\":1e308}"), 400, "memory_limit_mb");
    String runId = (String) Json.readObject(post(runs,
        "{\"analysis_id\":\"huge\",\"runtime_name\":\"python\"}").body()).get("run_id");
    assertError(post(runs + "/" + runId + "/settle",
        "{\"cpu_seconds\":1,\"peak_rss_mb\":1e300,\"wall_seconds\":1}"), 400,
        "no job can have used that");
    assertEquals(200, post(runs + "/" + runId + "/settle",
        "{\"cpu_seconds\":1,\"peak_rss_mb\":10,\"wall_seconds\":1}").statusCode(),
        "the run is still there to settle");
    assertEquals(200, get("/healthz").statusCode(), "still serving");
  }

  /**
   * With a token, API writes need it (compared in constant time) and the page stays readable;
   * the real jar refuses to serve beyond loopback without one.
   */
  @Test
  void aTokenGuardsTheApiWritesAndServingBeyondLoopbackNeedsOne() throws Exception {
    java.time.Clock clock = java.time.Clock.systemUTC();
    io.forge.launcher.config.Settings settings = io.forge.launcher.config.Settings.from(
        Map.of("FORGE_HOME", home.toString()), clock);
    try (DashboardServer guarded = DashboardServer.start(
        io.forge.model.service.ForgeModel.open(settings.store(), clock),
        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), settings,
        "s3cret-token")) {
      String api = "http://127.0.0.1:" + guarded.port() + "/api/forge/resource-predictor";
      String body = "{\"runtime_name\":\"python\"}";
      java.util.function.Function<String, HttpRequest> predict = auth -> {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/predict"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        return (auth == null ? b : b.header("Authorization", auth)).build();
      };
      HttpResponse<String> none = http.send(predict.apply(null),
          HttpResponse.BodyHandlers.ofString());
      assertError(none, 401, "token");
      assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
      assertError(http.send(predict.apply("Bearer s3cret-tokeX"),
          HttpResponse.BodyHandlers.ofString()), 401, "token");
      assertEquals(200, http.send(predict.apply("Bearer s3cret-token"),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(api + "/stats")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "reading needs no token");
    }
    Launcher.Result open = new Launcher(home).run("serve", "--bind", "0.0.0.0", "--port", "0");
    assertEquals(2, open.exitCode(), open.stderr());
    assertTrue(open.stderr().contains("FORGE_API_TOKEN"), open.stderr());
  }

  /** Exactly one of many concurrent settles of one run wins; the others learn it with 409. */
  @Test
  void concurrentSettlesOfOneRunLetExactlyOneThrough() throws Exception {
    String runs = "/api/forge/resource-predictor/runs";
    ExecutorService pool = Executors.newFixedThreadPool(30);
    try {
      for (int trial = 0; trial < 3; trial++) {
        String runId = (String) Json.readObject(post(runs,
            "{\"analysis_id\":\"raced\",\"runtime_name\":\"python\"}").body()).get("run_id");
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          int mb = 100 + i;
          answers.add(pool.submit(() -> post(runs + "/" + runId + "/settle",
              "{\"cpu_seconds\":1,\"peak_rss_mb\":" + mb + ",\"wall_seconds\":1}")));
        }
        int won = 0;
        for (Future<HttpResponse<String>> a : answers) {
          HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
          if (r.statusCode() == 200) {
            won++;
          } else {
            assertError(r, 409, "already settled");
          }
        }
        assertEquals(1, won, "trial " + trial);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Regression: four connections that sent half a request held all four workers forever, and
   * the server answered nothing, {@code /healthz} included.
   */
  @Test
  void clientsThatSendHalfARequestNeitherFreezeTheServerNorHoldItsWorkersForever()
      throws Exception {
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(),
            server.port());
        String half = i % 2 == 0
            ? "POST /api/forge/resource-predictor/predict HTTP/1.1\r\nHost: a\r\n"
                + "Content-Length: 100\r\n\r\n{\"runtime_name\":"
            : "GET /healthz HTTP/1.1\r\nHost: a\r\n";
        socket.getOutputStream().write(half.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create(base + "/healthz")).timeout(java.time.Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), "answered while eight clients dawdle");
      for (java.net.Socket socket : slow) {
        socket.setSoTimeout(60_000);
        try {
          // Closed by the server once the request time is up: end of stream or a reset.
          while (socket.getInputStream().read() >= 0) {
            // an answer to a half request (408 or 400) may come first
          }
        } catch (java.net.SocketException closed) {
          // reset: closed as well
        }
      }
    } finally {
      for (java.net.Socket socket : slow) {
        socket.close();
      }
    }
  }

  /** A body declared larger than the limit is refused before a byte of it is read. */
  @Test
  void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
    try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(),
        server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /api/forge/resource-predictor/predict HTTP/1.1\r\n"
          + "Host: a\r\nContent-Length: 1073741824\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(
          socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
    }
  }

  /**
   * Regression: the server answered 413 while the client was still sending and closed the
   * connection, so the client saw a reset instead of the answer (3 of 5 curl tries), and the
   * next request on a reused connection failed.
   */
  @Test
  void anOversizedBodyIsAnsweredWith413EveryTimeAndTheConnectionStaysUsable() throws Exception {
    String predict = "/api/forge/resource-predictor/predict";
    String huge = "{\"runtime_name\":\"python\",\"script_text\":\"" + "x".repeat(12 * 1024 * 1024)
        + "\"}";
    for (int i = 0; i < 5; i++) {
      assertError(post(predict, huge), 413, "larger than");
      assertEquals(200, post(predict, "{\"runtime_name\":\"python\"}").statusCode(),
          "the next request on the same client");
    }
    for (int i = 0; i < 3; i++) {
      try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(),
          server.port())) {
        java.io.OutputStream out = socket.getOutputStream();
        byte[] body = huge.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(("POST " + predict + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
            + " application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status = new java.io.BufferedReader(new java.io.InputStreamReader(
            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
      }
    }
  }

  @Test
  void headOnThePageAnswersLikeGetWithoutABodyAndWithoutAServerWarning() throws Exception {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("com.sun.net.httpserver");
    List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.logging.Handler catcher = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(catcher);
    try {
      HttpResponse<String> head = http.send(HttpRequest.newBuilder(
              URI.create(base + "/forge/resource-predictor?last=5"))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> get = get("/forge/resource-predictor?last=5");
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());
      assertEquals(get.headers().firstValue("Content-Type"),
          head.headers().firstValue("Content-Type"));
      assertEquals(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
          Long.parseLong(head.headers().firstValue("Content-Length").orElse("-1")));
      assertEquals(200, get("/healthz").statusCode());
      assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
          .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(List.of(), warnings);
    } finally {
      log.removeHandler(catcher);
    }
  }

  @Test
  void concurrentRequestsWhileLaunchesWriteToTheSameStore() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      Launcher launcher = new Launcher(home);
      String hog = Launcher.job("hog.py").toString();
      for (int i = 0; i < 3; i++) {
        results.add(pool.submit(() -> launcher.run("--quiet", "--analysis-id", "busy", "--",
            "python3", hog, "10", "0.2").exitCode()));
      }
      for (int i = 0; i < 30; i++) {
        results.add(pool.submit(() -> get("/api/forge/resource-predictor/stats").statusCode()));
        results.add(pool.submit(() -> post("/api/forge/resource-predictor/predict",
            "{\"runtime_name\":\"python\",\"analysis_id\":\"busy\"}").statusCode()));
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(0, results.get(i).get(120, TimeUnit.SECONDS));
      }
      for (int i = 3; i < results.size(); i++) {
        assertEquals(200, results.get(i).get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    // Requests only read: the runs appear once the server's ingestion (every second) has
    // moved them in.
    long busy = 0;
    for (int i = 0; i < 100 && busy < 3; i++) {
      Thread.sleep(100);
      busy = ((List<?>) stats().get("points")).stream()
          .filter(p -> "busy".equals(((Map<?, ?>) p).get("analysis_id"))).count();
    }
    assertEquals(3, busy);
  }

  private static void assertError(HttpResponse<String> r, int status, String fragment) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("json"), r.body());
    Map<String, Object> body = Json.readObject(r.body());
    assertTrue(String.valueOf(body.get("error")).contains(fragment), r.body());
  }
}
