package io.forge.model.db;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the history database lives.
 *
 * <p>By default an embedded H2 file {@code $FORGE_HOME/forge.mv.db} ({@code FORGE_HOME}
 * defaults to {@code ~/.forge}). Many processes on one host share it by taking turns: each
 * operation holds an operating-system lock on {@code forge.db.lock} while it opens, uses and
 * closes the file (see {@link Database}), and every commit is written before it returns
 * ({@code WRITE_DELAY=0}), so a killed process loses nothing it recorded. {@code FORGE_DB_URL} (with {@code
 * FORGE_DB_USER}, {@code FORGE_DB_PASSWORD}) points at a database server instead: H2's TCP
 * server or PostgreSQL ({@code jdbc:postgresql://host/db}, whose driver Forge carries), one
 * history shared by many hosts.
 *
 * @param jdbcUrl the JDBC URL
 * @param user database user
 * @param password database password
 * @param home the Forge home folder (models, reports), also when the database is elsewhere
 */
public record StoreLocation(String jdbcUrl, String user, String password, Path home) {

  /** Validates the components. */
  public StoreLocation {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(home, "home");
  }

  /** The embedded default database under a Forge home folder. */
  public static StoreLocation embedded(Path home) {
    Path base = home.toAbsolutePath().normalize().resolve("forge");
    return new StoreLocation(
        "jdbc:h2:file:" + base + ";FILE_LOCK=FS;WRITE_DELAY=0;LOCK_TIMEOUT=15000", "forge", "",
        home);
  }

  /** Reads {@code FORGE_HOME}, {@code FORGE_DB_URL}, {@code FORGE_DB_USER}, {@code FORGE_DB_PASSWORD}. */
  public static StoreLocation fromEnvironment(Map<String, String> env) {
    String homeVar = env.get("FORGE_HOME");
    Path home =
        homeVar != null && !homeVar.isBlank()
            ? Path.of(homeVar)
            : Path.of(System.getProperty("user.home"), ".forge");
    String url = env.get("FORGE_DB_URL");
    if (url == null || url.isBlank()) {
      return embedded(home);
    }
    return new StoreLocation(
        url,
        env.getOrDefault("FORGE_DB_USER", "forge"),
        env.getOrDefault("FORGE_DB_PASSWORD", ""),
        home);
  }

  /** The operating-system lock file that serialises access to the embedded database. */
  public Path lockFile() {
    return home.toAbsolutePath().normalize().resolve("forge.db.lock");
  }

  /** True for the embedded H2 file database (which needs its folder to exist). */
  public boolean isEmbeddedFile() {
    return jdbcUrl.startsWith("jdbc:h2:file:");
  }

  /** The URL with any password-like parameters removed, for messages. */
  public String describe() {
    return jdbcUrl.replaceAll("(?i)(password|pwd)=[^;&]*", "$1=***");
  }
}
