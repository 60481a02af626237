package io.forge.launcher.it;

import io.forge.launcher.config.Settings;
import io.forge.launcher.web.DashboardServer;
import io.forge.model.Json;
import io.forge.model.service.ForgeModel;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code forge-launch.jar} as a separate process, as users do. */
final class Launcher {

  /**
   * A finished launcher process.
   *
   * @param exitCode its exit code
   * @param stdout what it printed on stdout
   * @param stderr what it printed on stderr
   */
  record Result(int exitCode, String stdout, String stderr) {}

  private final Path home;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();

  Launcher(Path home) {
    this.home = home;
    env.put("FORGE_HOME", home.toString());
    env.put("XDG_CACHE_HOME", cache().toString());
  }

  /**
   * Where the launchers of the tests unpack Forge's libraries: under the build's {@code target/},
   * not the user's {@code ~/.cache} (the suite needs nothing outside the clone).
   */
  static Path cache() {
    return Path.of("target", "it-cache").toAbsolutePath();
  }

  Launcher env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Options for the launcher's JVM ({@code -Xlog:…}), before {@code -jar}. */
  Launcher jvm(String... options) {
    jvmOptions.addAll(List.of(options));
    return this;
  }

  static Path jar() {
    String jar = System.getProperty("forge.launch.jar");
    Path p = Path.of(Objects.requireNonNull(jar, "forge.launch.jar system property"));
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("build the launcher jar first: " + p);
    }
    return p;
  }

  static Path job(String name) {
    try {
      return Path.of(Objects.requireNonNull(Launcher.class.getResource("/jobs/" + name)).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The launcher's command line, started as a user's shell would start it: through GNU {@code
   * env --default-signal}, which resets (in place, then execs) the signals this test's own
   * parent may have ignored — a build started in the background of a script ignores SIGINT, a
   * JVM that inherits that never handles SIGINT, and the signal tests would then test the
   * harness, not Forge.
   */
  ProcessBuilder builder(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add("--default-signal=INT,QUIT,TERM,HUP");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().putAll(env);
    return pb;
  }

  Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    ProcessBuilder pb = builder(List.of(args))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
    }
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("launcher hung: " + List.of(args));
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The rows of {@code history --json}, newest first. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> history() throws IOException, InterruptedException {
    Result r = run("history", "--json", "--limit", "1000");
    if (r.exitCode() != 0) {
      throw new IllegalStateException("history failed: " + r.stderr());
    }
    return (List<Map<String, Object>>) (List<?>) Json.mapper().readValue(r.stdout(), List.class);
  }

  /**
   * The real server over a home, on a free loopback port, sizing with a 20 GB host budget in
   * dry-run (what {@code forge-launch serve} starts).
   */
  static DashboardServer serve(Path home) throws IOException {
    Settings settings = Settings.from(Map.of("FORGE_HOME", home.toString(),
        "FORGE_HOST_BUDGET_MB", "20000"), java.time.Clock.systemUTC());
    return DashboardServer.start(ForgeModel.open(settings.store(), settings.clock()),
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), settings);
  }

  /** Parses a JSON report file. */
  static Map<String, Object> report(Path file) throws IOException {
    return Json.readObject(Files.readString(file));
  }
}
