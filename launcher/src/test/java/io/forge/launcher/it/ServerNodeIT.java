package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.launcher.config.Settings;
import io.forge.launcher.web.DashboardServer;
import io.forge.model.history.RunRecord;
import io.forge.model.service.ForgeModel;
import io.forge.model.spool.Spool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FORGE_SERVER}: a node without database credentials records through {@code serve}; the
 * real launcher jar on the node, the real server over its own home.
 */
@EnabledOnOs(OS.LINUX)
class ServerNodeIT {

  static final String TOKEN = "node-token-1";

  @TempDir Path serverHome;
  @TempDir Path nodeHome;

  private DashboardServer serve(int port) throws Exception {
    Settings settings = Settings.from(Map.of("FORGE_HOME", serverHome.toString()),
        Clock.systemUTC());
    return DashboardServer.start(ForgeModel.open(settings.store(), settings.clock()),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), settings, TOKEN);
  }

  private List<RunRecord> stored() {
    return ForgeModel.open(io.forge.model.db.StoreLocation.embedded(serverHome),
        Clock.systemUTC()).history().queries().history(100);
  }

  private Launcher.Result launch(Launcher node) throws Exception {
    return node.run("--analysis-id", "node-hog", "--", "python3",
        Launcher.job("hog.py").toString(), "20", "0.1");
  }

  /**
   * Launches until the node's spool is empty (a slow first delivery may leave a run for the
   * next launch, by design); the number of launches made.
   */
  private int flush(Launcher node, Spool spool) throws Exception {
    int launches = 0;
    do {
      Launcher.Result r = launch(node);
      assertEquals(0, r.exitCode(), r.stderr());
      launches++;
    } while (spool.size() > 0 && launches < 5);
    assertEquals(0, spool.size(), "delivered within " + launches + " launches");
    return launches;
  }

  @Test
  void everyRunOfANodeReachesTheServerOnceAlsoAcrossARestart() throws Exception {
    DashboardServer server = serve(0);
    int port = server.port();
    Launcher node = new Launcher(nodeHome).env("FORGE_SERVER", "http://127.0.0.1:" + port)
        .env("FORGE_API_TOKEN", TOKEN);
    Launcher guessing = new Launcher(nodeHome).env("FORGE_SERVER", "http://127.0.0.1:" + port)
        .env("FORGE_API_TOKEN", "guess");
    Spool spool = new Spool(nodeHome);
    int launches;
    try {
      launches = flush(node, spool);
      assertEquals(launches, stored().size(), "stored by the server as they came");
      assertTrue(Files.isRegularFile(nodeHome.resolve("predictor.snapshot")),
          "the node took the server's snapshot");
      Launcher.Result refused = launch(guessing);
      assertEquals(0, refused.exitCode(), refused.stderr());
      assertTrue(refused.stderr().contains("401"), "no token, no delivery: " + refused.stderr());
      launches++;
    } finally {
      server.close();
    }
    Launcher.Result down = launch(node);
    launches++;
    assertEquals(0, down.exitCode(), down.stderr());
    assertTrue(down.stderr().contains("the next launch delivers it"), down.stderr());
    assertEquals(2, spool.size(), "kept while refused, then while the server is down");

    server = serve(port);
    try {
      launches += flush(node, spool);
      List<RunRecord> rows = stored();
      assertEquals(launches, rows.size(), "every run once");
      assertEquals(launches, new HashSet<>(rows.stream().map(RunRecord::runId).toList())
          .size());
    } finally {
      server.close();
    }
  }
}
