package io.forge.launcher.web;

import static io.forge.launcher.web.Responses.error;
import static io.forge.launcher.web.Responses.json;
import static io.forge.launcher.web.Responses.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.forge.launcher.config.Settings;
import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.StaleCgroups;
import io.forge.model.history.StoreException;
import io.forge.model.service.ForgeModel;
import io.forge.model.snapshot.ReloadingPredictor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
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
 *   <li>{@code POST /api/forge/resource-predictor/spool} — runs a node spooled, delivered
 *   <li>{@code GET /api/forge/resource-predictor/snapshot} — the launch snapshot, for nodes
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

  /** Threads answering requests: a few slow clients must not take every one. */
  static final int WORKERS = 16;

  /**
   * Seconds a client may take to send a whole request (headers and body), then to read the
   * answer, before the JDK server closes its connection; without them four connections that
   * sent half a request held every worker forever, {@code /healthz} included. Set for the
   * JVM before its first HTTP server starts, unless the user set them.
   */
  static final String MAX_REQUEST_SECONDS = "10";

  static final String MAX_RESPONSE_SECONDS = "30";

  static {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }
  }

  /** Window of the page and of {@code stats} without {@code ?last=}. */
  public static final int DEFAULT_WINDOW = 200;

  private final ForgeModel forge;
  private final ReloadingPredictor predictor;
  private final RunsApi runs;
  private final java.nio.file.Path home;
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
    this.predictor = new ReloadingPredictor(settings.home(), forge::refreshSnapshot,
        settings.clock());
    this.home = settings.home();
    this.figures = new Figures(forge, DEFAULT_WINDOW);
    this.server = HttpServer.create(address, 64);
    this.executor = Executors.newFixedThreadPool(WORKERS, r -> {
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
    // A node's delivered runs: answered at once, the snapshot rebuilt by the ingestion thread.
    this.runs = new RunsApi(forge, predictor, settings, () -> ingestion.execute(() -> {
      forge.refreshSnapshot();
      figures.refresh();
    }));
  }

  private boolean ingestFailing;

  /** The page's figures, served from memory (see {@link Figures}). */
  private final Figures figures;

  /** Where this server's stale-cgroup sweep looks (its own cgroups). */
  private final CgroupMounts mounts = CgroupMounts.detect();

  /**
   * One ingestion, after a sweep of stale cgroups; a failure (a database briefly away) is said
   * once and retried at every tick until it passes.
   */
  private void ingest() {
    StaleCgroups.sweep(mounts);
    try {
      var ingested = forge.ingest();
      if (ingested.ingested() > 0 || ingested.abandoned() > 0) {
        figures.refresh(); // here, off the requests' path
      }
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
    return start(forge, address, settings, null);
  }

  /**
   * Starts serving; with a token, every API write ({@code POST}) must carry it as {@code
   * Authorization: Bearer <token>} (401 otherwise), while the page, the stats and {@code
   * /healthz} stay readable.
   *
   * @param token the API token ({@code FORGE_API_TOKEN}), or null for none
   */
  public static DashboardServer start(ForgeModel forge, InetSocketAddress address,
      Settings settings, String token) throws IOException {
    DashboardServer s = new DashboardServer(forge, address, settings);
    s.token = ApiToken.of(token);
    try {
      forge.ingest();
      s.figures.refresh();
    } catch (RuntimeException e) {
      s.close(); // the port is bound and the executors exist
      throw e;
    }
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
    ingestion.shutdown(); // an ingestion in progress finishes its write
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
        // The trace is for whoever runs the server; a client learns only that it failed.
        System.err.println("forge: " + ex.getRequestMethod() + " "
            + ex.getRequestURI().getPath() + " failed:");
        e.printStackTrace();
        error(ex, 500, "internal error (the server's log has the details)");
      }
    }
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
          figures.page(window(ex.getRequestURI())));
    } else if (path.equals(API + "/stats")) {
      expectGet(ex);
      json(ex, 200, figures.stats(window(ex.getRequestURI())).toJson());
    } else if (path.equals(API + "/predict")) {
      expect(ex, "POST");
      json(ex, 200, runs.predict(JsonBody.read(ex)));
    } else if (path.equals(API + "/spool")) {
      expect(ex, "POST");
      json(ex, 200, runs.deliver(JsonBody.read(ex)));
    } else if (path.equals(API + "/snapshot")) {
      expectGet(ex);
      Snapshots.send(ex, home);
    } else if (path.equals(API + "/runs")) {
      expect(ex, "POST");
      Map<String, Object> recorded = runs.record(JsonBody.read(ex));
      figures.changed(); // before the answer: a client that reads the figures next sees it
      json(ex, 201, recorded);
    } else {
      Matcher m = SETTLE.matcher(path);
      if (m.matches()) {
        expect(ex, "POST");
        Map<String, Object> settled = runs.settle(m.group(1), JsonBody.read(ex));
        figures.changed();
        json(ex, 200, settled);
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

  private void expect(HttpExchange ex, String method) {
    if (!ex.getRequestMethod().equals(method)) {
      ex.getResponseHeaders().add("Allow", method);
      throw new ApiError(405, ex.getRequestMethod() + " is not allowed here; use " + method);
    }
    if (token != null && !token.admits(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
      throw new ApiError(401, "this server's API needs its token: Authorization: Bearer"
          + " <FORGE_API_TOKEN>");
    }
  }

  /** The token API writes must carry, or null when they need none. */
  private ApiToken token;

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

}
