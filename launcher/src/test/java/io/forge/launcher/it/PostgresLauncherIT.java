package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.Json;
import io.forge.model.db.PostgresServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts' homes sharing one history on a real PostgreSQL server: launches, import, train
 * and the dashboard of the real jar, as users run them.
 */
@EnabledOnOs(OS.LINUX)
class PostgresLauncherIT {

  @RegisterExtension
  static final PostgresServer.PerClass PG = new PostgresServer.PerClass();

  @TempDir Path first;
  @TempDir Path second;

  private static Launcher on(String url, Path home) {
    Launcher launcher = new Launcher(home);
    PostgresServer.env(url, home).forEach(launcher::env);
    return launcher;
  }

  @Test
  void hostsShareTheHistoryAndTheModelAndTheDashboardShowsIt() throws Exception {
    String url = PG.server().newDatabase();
    Launcher a = on(url, first);
    Launcher b = on(url, second);
    Path trace = Path.of(PostgresLauncherIT.class.getResource("/traces/chipseq/run1.trace.csv")
        .toURI());
    Launcher.Result imported = a.run("import", "--format", "nextflow", "--label", "chipseq",
        trace.toString());
    assertEquals(0, imported.exitCode(), imported.stderr());
    Launcher.Result run = a.run("--analysis-id", "shared-hog", "--", "python3",
        Launcher.job("hog.py").toString(), "20", "0.1");
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().lines().count(), "delivered, nothing to say: " + run.stderr());
    Launcher.Result trained = a.run("train");
    assertEquals(0, trained.exitCode(), trained.stderr());

    List<Map<String, Object>> rows = b.history();
    assertEquals("shared-hog", rows.get(0).get("analysis_id"), "the other host sees the run");
    Map<String, Object> stats = Json.readObject(b.run("stats", "--json").stdout());
    assertEquals(1, ((Number) ((Map<?, ?>) stats.get("model")).get("version")).intValue(),
        "and predicts with the model trained on the first: " + stats.get("model"));

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process serve = b.builder(List.of("serve", "--port", Integer.toString(port)))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = null;
      for (int i = 0; i < 100 && page == null; i++) {
        Thread.sleep(200);
        try {
          page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/forge/resource-predictor")).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notYet) {
          // still starting
        }
      }
      assertTrue(page != null && page.statusCode() == 200, "the dashboard over PostgreSQL");
      assertTrue(page.body().contains("shared-hog"), "drawn from the shared history");
    } finally {
      serve.destroy();
      serve.waitFor();
    }
  }
}
