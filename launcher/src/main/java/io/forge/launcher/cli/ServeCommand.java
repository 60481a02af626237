package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.web.DashboardServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch serve}: the dashboard and JSON API until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the /forge/resource-predictor dashboard and the JSON API"
        + " (loopback only unless --bind says otherwise).",
    footer = HelpFooters.SERVE_FOOTER)
final class ServeCommand implements Callable<Integer> {

  /** Default port. */
  static final int DEFAULT_PORT = 8321;

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
      description = "port (default " + DEFAULT_PORT + "; 0 picks a free one)")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
  String bind;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--bind " + bind + ": not an address of this host");
    }
    String token = parent.env().get("FORGE_API_TOKEN");
    if (!address.isLoopbackAddress() && (token == null || token.isBlank())) {
      throw new IllegalArgumentException("--bind " + bind + " serves the API beyond this host:"
          + " set FORGE_API_TOKEN (clients send it as Authorization: Bearer <token>)");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (DashboardServer server = DashboardServer.start(parent.forge(),
        new InetSocketAddress(address, port), parent.settings(), token)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "forge-serve-stop"));
      parent.err().println("forge: dashboard at http://" + hostForUrl(address) + ":"
          + server.port() + "/forge/resource-predictor (Ctrl-C stops)");
      stopped.await();
    } catch (java.net.BindException e) {
      throw new IllegalStateException("cannot listen on " + bind + ":" + port + ": "
          + e.getMessage(), e);
    }
    return ExitCodes.OK;
  }

  private static String hostForUrl(InetAddress a) {
    String host = a.isAnyLocalAddress() ? "localhost" : a.getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
