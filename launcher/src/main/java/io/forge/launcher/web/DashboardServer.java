package io.forge.launcher.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.forge.launcher.config.Settings;
import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.StaticLimits;
import io.forge.launcher.run.JobPlanner;
import io.forge.launcher.run.Outcomes;
import io.forge.model.Job;
import io.forge.model.Json;
import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.features.ScriptText;
import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecord;
import io.forge.model.history.Settlement;
import io.forge.model.history.StoreException;
import io.forge.model.service.ForgeModel;
import io.forge.model.snapshot.ReloadingPredictor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code forge-launch serve}: the dashboard page and the JSON API for executors written in other
 * languages, on the JDK's built-in HTTP server (no framework to start or shade).
 *
 * <ul>
 *   <li>{@code GET /forge/resource-predictor} — the page
 *   <li>{@code GET /api/forge/resource-predictor/stats[?last=N]} — the page's figures as JSON
 *   <li>{@code POST /api/forge/resource-predictor/predict} — a prediction
 *   <li>{@code POST /api/forge/resource-predictor/runs} — predict, size and record a run
 *   <li>{@code POST /api/forge/resource-predictor/runs/{run_id}/settle} — settle it
 *   <li>{@code GET /healthz}
 * </ul>
 *
 * Every error is a JSON object {@code {"error": "..."}} with a 4xx or 5xx status; the server
 * keeps serving.
 */
public final class DashboardServer implements AutoCloseable {

  static final String PAGE = "/forge/resource-predictor";
  static final String API = "/api/forge/resource-predictor";
  private static final Pattern SETTLE = Pattern.compile(API + "/runs/([A-Za-z0-9-]{1,64})/settle");

  /** The outcomes an executor may settle a run with (it ran, so it was not refused). */
  static final java.util.List<Outcome> SETTLED_OUTCOMES = java.util.List.of(Outcome.OK,
      Outcome.FAILED, Outcome.OOM_KILLED, Outcome.TIMED_OUT, Outcome.INTERRUPTED);

  /** Window of the page and of {@code stats} without {@code ?last=}. */
  public static final int DEFAULT_WINDOW = 200;

  private final ForgeModel forge;
  private final ReloadingPredictor predictor;
  private final Settings settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private final java.util.concurrent.ScheduledExecutorService ingestion;

  /**
   * How often the server moves the launchers' spool into the database: requests only read, so
   * a page shows a run this long after it ended at most.
   */
  static final long INGEST_EVERY_MS = 1000;

  private DashboardServer(ForgeModel forge, InetSocketAddress address, Settings settings)
      throws IOException {
    this.forge = forge;
    this.settings = settings;
    this.predictor = new ReloadingPredictor(settings.home(), forge::refreshSnapshot,
        settings.clock());
    this.server = HttpServer.create(address, 64);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "forge-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    this.ingestion = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "forge-ingest");
      t.setDaemon(true);
      return t;
    });
  }

  private boolean ingestFailing;

  /**
   * One ingestion; a failure (a database briefly away) is said once and retried at every
   * tick until it passes.
   */
  private void ingest() {
    try {
      forge.ingest();
      if (ingestFailing) {
        ingestFailing = false;
        System.err.println("forge: the spool is moving into the database again");
      }
    } catch (RuntimeException e) {
      if (!ingestFailing) {
        ingestFailing = true;
        System.err.println("forge: could not move the spool into the database (retrying every"
            + " second): " + e.getMessage());
      }
    }
  }

  /**
   * Starts serving.
   *
   * @param forge the store
   * @param address where to listen (port 0 picks a free one)
   * @param settings the sizing policy, host budget and mode when a request names none
   */
  public static DashboardServer start(ForgeModel forge, InetSocketAddress address,
      Settings settings) throws IOException {
    DashboardServer s = new DashboardServer(forge, address, settings);
    forge.ingest();
    s.ingestion.scheduleWithFixedDelay(s::ingest, INGEST_EVERY_MS, INGEST_EVERY_MS,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    s.server.start();
    return s;
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops serving and waits (briefly) for a request or an ingestion in progress to end, so
   * nothing writes into the home after the server is closed.
   */
  @Override
  public void close() {
    ingestion.shutdownNow();
    server.stop(0);
    executor.shutdownNow();
    try {
      ingestion.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }


  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (ApiError e) {
        error(ex, e.status, e.getMessage());
      } catch (StoreException e) {
        error(ex, 503, "database unavailable: " + e.getMessage());
      } catch (RuntimeException e) {
        error(ex, 500, "internal error: " + e);
      }
    }
  }

  /**
   * Most a refused request's body is read and discarded before the answer, so that the client,
   * still sending, reads the answer instead of a connection reset (the JDK server discards only
   * 64 KB of an unread body before it closes the connection). Beyond this the connection is
   * closed after the answer.
   */
  static final long DRAIN_BYTES = 64L * 1024 * 1024;

  /** Answers an error after discarding what is left of the request body. */
  private static void error(HttpExchange ex, int status, String message) throws IOException {
    if (!drain(ex.getRequestBody(), DRAIN_BYTES)) {
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

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/healthz")) {
      expectGet(ex);
      json(ex, 200, Map.of("status", "ok"));
    } else if (path.equals(PAGE) || path.equals(PAGE + "/")) {
      expectGet(ex);
      send(ex, 200, "text/html; charset=utf-8",
          DashboardPage.render(forge.stats(window(ex.getRequestURI()))));
    } else if (path.equals(API + "/stats")) {
      expectGet(ex);
      json(ex, 200, forge.stats(window(ex.getRequestURI())).toJson());
    } else if (path.equals(API + "/predict")) {
      expect(ex, "POST");
      json(ex, 200, predictor.current().plan(job(JsonBody.read(ex.getRequestBody()), false))
          .prediction().toJson());
    } else if (path.equals(API + "/runs")) {
      expect(ex, "POST");
      json(ex, 201, record(JsonBody.read(ex.getRequestBody())));
    } else {
      Matcher m = SETTLE.matcher(path);
      if (m.matches()) {
        expect(ex, "POST");
        json(ex, 200, settle(m.group(1), JsonBody.read(ex.getRequestBody())));
      } else if (path.equals("/")) {
        ex.getResponseHeaders().add("Location", PAGE);
        send(ex, 302, "text/plain; charset=utf-8", "see " + PAGE);
      } else {
        throw new ApiError(404, "no such route: " + method + " " + path + " (see " + PAGE
            + " and " + API + "/stats)");
      }
    }
  }

  /** GET, or HEAD: the same answer without its body. */
  private static void expectGet(HttpExchange ex) {
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().add("Allow", "GET, HEAD");
      throw new ApiError(405, method + " is not allowed here; use GET");
    }
  }

  private static void expect(HttpExchange ex, String method) {
    if (!ex.getRequestMethod().equals(method)) {
      ex.getResponseHeaders().add("Allow", method);
      throw new ApiError(405, ex.getRequestMethod() + " is not allowed here; use " + method);
    }
  }

  private static int window(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return DEFAULT_WINDOW;
    }
    for (String part : query.split("&")) {
      if (part.startsWith("last=")) {
        try {
          int n = Integer.parseInt(part.substring(5));
          if (n >= 1 && n <= 100_000) {
            return n;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new ApiError(400, "last must be an integer between 1 and 100000");
      }
    }
    return DEFAULT_WINDOW;
  }

  private Job job(JsonBody body, boolean needsAnalysis) {
    String script = body.string("script_text", false);
    String runtime = body.string("runtime_name", true);
    String analysis = body.string("analysis_id", needsAnalysis);
    if (analysis != null && (analysis.isBlank() || analysis.length() > NewRun.MAX_ANALYSIS_ID)) {
      throw new ApiError(400, "analysis_id must be 1.." + NewRun.MAX_ANALYSIS_ID + " characters");
    }
    return new Job(analysis, runtime, ScriptText.of(script), body.sizes("input_sizes_mb"));
  }

  private Map<String, Object> record(JsonBody body) {
    Job job = job(body, true);
    String modeName = body.string("mode", false);
    Mode mode;
    try {
      mode = modeName == null ? settings.defaultMode() : Mode.parse(modeName);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, e.getMessage());
    }
    StaticLimits request = StaticLimits.of(body.number("memory_limit_mb", false, 1),
        body.number("timeout_seconds", false, 1));
    JobPlanner.Plan plan = new JobPlanner(predictor.current(), settings.policy(),
        settings.hostBudget().budgetMb(), settings.clock()).plan(job, mode, request, false);
    // The limits are the client's to apply: what it is told is what the row records.
    NewRun run = plan.row(plan.limits(), Mechanism.EXTERNAL, body.string("command", false),
        "api");
    if (plan.refused()) {
      forge.history().recordSettled(run,
          new Settlement(null, Outcome.REJECTED, null, settings.clock().instant()));
    } else {
      forge.history().record(run);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run_id", plan.runId());
    out.put("prediction", plan.prediction().toJson());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mode", mode.cliName());
    d.put("refused", plan.refused());
    d.put("memory_limit_mb", plan.limits().memoryLimitMb());
    d.put("timeout_seconds", plan.limits().timeoutSeconds());
    d.put("note", plan.decision().note());
    out.put("decision", d);
    return out;
  }

  private Map<String, Object> settle(String runId, JsonBody body) {
    Usage actual = new Usage(body.number("cpu_seconds", true, 0),
        body.number("peak_rss_mb", true, 0), body.number("wall_seconds", true, 0));
    Integer exitCode = body.integer("exit_code");
    String outcomeName = body.string("outcome", false);
    Outcome outcome;
    if (outcomeName == null) {
      outcome = Outcomes.of(exitCode == null ? 0 : exitCode, false, false, false);
    } else {
      outcome = SETTLED_OUTCOMES.stream().filter(o -> o.dbName().equals(outcomeName))
          .findFirst().orElseThrow(() -> new ApiError(400, "outcome must be one of "
              + SETTLED_OUTCOMES.stream().map(Outcome::dbName).toList()));
    }
    Optional<RunRecord> row = forge.history().queries().find(runId);
    if (row.isEmpty()) {
      throw new ApiError(404, "no recorded run " + runId + " (record it with POST " + API
          + "/runs first)");
    }
    if (row.get().outcome() != Outcome.RUNNING && row.get().outcome() != Outcome.ABANDONED) {
      throw new ApiError(409, "run " + runId + " is already settled as "
          + row.get().outcome().dbName());
    }
    forge.history().settle(runId, new Settlement(actual, outcome, exitCode,
        settings.clock().instant()));
    forge.refreshSnapshot();
    return Map.of("run_id", runId, "outcome", outcome.dbName());
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json; charset=utf-8", Json.write(body));
  }

  private static void send(HttpExchange ex, int status, String type, String body)
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
