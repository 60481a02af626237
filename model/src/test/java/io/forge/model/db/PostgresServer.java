package io.forge.model.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests: the distribution's binaries ({@code postgresql-15} on
 * Debian, which {@code .ci/run} installs), a cluster made with {@code initdb} in a temporary
 * folder, listening on a free loopback port, stopped and deleted by {@link #close}. As root
 * (which PostgreSQL refuses) it runs as the {@code postgres} user the package creates. Each
 * {@link #newDatabase} is a fresh empty database.
 */
public final class PostgresServer implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asPostgres;

  private PostgresServer(Path dir, Path bin, int port, boolean asPostgres) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** The folder of the newest installed PostgreSQL's binaries, or null when there is none. */
  public static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(
              b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .orElse(null);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /**
   * One server for a test class: {@code @RegisterExtension static PostgresServer.PerClass pg =
   * new PostgresServer.PerClass();} starts it before the class and stops it after, or skips
   * the class, saying why, where PostgreSQL is not installed ({@code .ci/run} installs it).
   */
  public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
      Assumptions.assumeTrue(binaries() != null,
          "PostgreSQL is not installed (Debian: apt-get install postgresql)");
      server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
      if (server != null) {
        server.close();
      }
    }

    /** The running server. */
    public PostgresServer server() {
      return server;
    }
  }

  /** Makes and starts a cluster. */
  public static PostgresServer start() throws IOException {
    Path bin = binaries();
    if (bin == null) {
      throw new IllegalStateException("PostgreSQL is not installed (Debian: apt-get install"
          + " postgresql; .ci/run does it)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "forge-pg-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(dir, bin, port, root);
    try {
      if (root) {
        run(List.of("chown", "postgres:postgres", dir.toString()), false);
      }
      server.pg("initdb", "-D", dir.resolve("data").toString(), "-U", "forge", "--auth=trust",
          "-E", "UTF8", "--no-sync");
      server.pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l",
          dir.resolve("log").toString(), "-w", "-t", "60", "-o",
          "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
              + " -c max_connections=200", "start");
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void pg(String program, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (asPostgres) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command, true);
  }

  private static void run(List<String> command, boolean check) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " hung");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(command + " interrupted");
    }
    if (check && p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed: " + out);
    }
  }

  /** A fresh, empty database on this server: its JDBC URL (user {@code forge}, no password). */
  public String newDatabase() throws SQLException {
    String name = "forge_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), "forge", "")) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The environment a Forge process needs to use {@code url}, with its home. */
  public static Map<String, String> env(String url, Path home) {
    return Map.of("FORGE_DB_URL", url, "FORGE_DB_USER", "forge", "FORGE_DB_PASSWORD", "",
        "FORGE_HOME", home.toString());
  }

  @Override
  public void close() throws IOException {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      }
    } finally {
      run(List.of("rm", "-rf", dir.toString()), false);
    }
  }
}
