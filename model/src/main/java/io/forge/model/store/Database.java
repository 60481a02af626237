package io.forge.model.store;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Connections to the history database, its migrations, and retries of transient failures.
 *
 * <p>Connections are opened per operation and closed at once: a launcher waiting hours on its
 * job must not hold the embedded database (in H2's mixed mode the holder is the server for
 * every other process). Operations are retried on errors that concurrency on one embedded file
 * produces — the serving process going away mid-call, lock timeouts, the file being opened by
 * another process at that instant — and callers make every operation idempotent.
 */
public final class Database {

  /** Highest migration version under {@code db/forge}; a test pins it to the files. */
  public static final int SCHEMA_VERSION = 2;

  static final String HISTORY_TABLE = "forge_schema_history";

  /** H2 error codes of transient conditions (see org.h2.api.ErrorCode). */
  private static final Set<Integer> TRANSIENT_H2_CODES =
      Set.of(
          90020, // DATABASE_ALREADY_OPEN_1: another process holds it this instant
          90067, // CONNECTION_BROKEN_1: the serving process went away
          90098, // DATABASE_IS_CLOSED
          90121, // DATABASE_CALLED_AT_SHUTDOWN
          90028, // IO_EXCEPTION_1
          90031, // IO_EXCEPTION_2
          50200, // LOCK_TIMEOUT_1
          40001, // DEADLOCK_1
          90131, // CONCURRENT_UPDATE_1
          90135); // DATABASE_IS_IN_EXCLUSIVE_MODE

  private static final int MAX_ATTEMPTS = 40;
  private static final long MAX_TOTAL_WAIT_MS = 30_000;

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs the work. */
    T run(Connection connection) throws SQLException;
  }

  private final StoreLocation location;

  private Database(StoreLocation location) {
    this.location = location;
  }

  /**
   * Opens the database, creating it and applying pending migrations when needed. When the
   * schema is already current only one small query runs: Flyway (whose start-up costs seconds)
   * is loaded only to create or evolve the schema.
   *
   * @throws StoreException with a message a user can act on
   */
  public static Database open(StoreLocation location) {
    if (location.isEmbeddedFile()) {
      try {
        Files.createDirectories(location.home());
      } catch (IOException e) {
        throw new StoreException(
            "cannot create FORGE_HOME " + location.home() + ": " + e.getMessage()
                + " (set FORGE_HOME to a writable folder)",
            e);
      }
      if (!Files.isWritable(location.home())) {
        throw new StoreException(
            "FORGE_HOME " + location.home() + " is not writable (set FORGE_HOME to a writable"
                + " folder)");
      }
    }
    Database db = new Database(location);
    int version = db.inTransaction(Database::schemaVersion);
    if (version < SCHEMA_VERSION) {
      db.migrate();
    } else if (version > SCHEMA_VERSION) {
      throw new StoreException(
          "the database at " + location.describe() + " has schema version " + version
              + ", newer than this Forge (" + SCHEMA_VERSION + "); upgrade Forge");
    }
    return db;
  }

  /** The location this database was opened from. */
  public StoreLocation location() {
    return location;
  }

  private void migrate() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Migrations.apply(location);
        return;
      } catch (RuntimeException e) {
        // Two processes creating the schema at once: one wins, the other finds it done.
        last = e;
        if (inTransaction(Database::schemaVersion) >= SCHEMA_VERSION) {
          return;
        }
        sleepQuietly(200L * (attempt + 1));
      }
    }
    throw new StoreException(
        "cannot migrate the database at " + location.describe() + ": " + last.getMessage(),
        last);
  }

  static int schemaVersion(Connection c) throws SQLException {
    try (ResultSet tables =
        c.getMetaData().getTables(null, null, HISTORY_TABLE, new String[] {"TABLE"})) {
      if (!tables.next()) {
        return 0;
      }
    }
    int max = 0;
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT \"version\" FROM \"" + HISTORY_TABLE + "\" WHERE \"success\" = TRUE");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String v = rs.getString(1);
        if (v != null && v.matches("\\d+")) {
          max = Math.max(max, Integer.parseInt(v));
        }
      }
    }
    return max;
  }

  /**
   * Runs work in one transaction on a fresh connection, retrying transient failures.
   *
   * @throws StoreException when the work keeps failing or fails for a non-transient reason
   */
  public <T> T inTransaction(Work<T> work) {
    long started = System.nanoTime();
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        last = e;
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        if (!isTransient(e) || waitedMs > MAX_TOTAL_WAIT_MS) {
          break;
        }
        sleepQuietly(Math.min(1000, 20L << Math.min(attempt, 5))
            + ThreadLocalRandom.current().nextLong(50));
      }
    }
    throw new StoreException(describe(last), last);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
  }

  static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        if (TRANSIENT_H2_CODES.contains(s.getErrorCode())) {
          return true;
        }
        String state = s.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("40"))) {
          return true;
        }
      }
    }
    return false;
  }

  private String describe(SQLException e) {
    if (e == null) {
      return "database operation failed at " + location.describe();
    }
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    if (newline > 0) {
      message = message.substring(0, newline);
    }
    if (e.getErrorCode() == 90030 || e.getErrorCode() == 90048) {
      return "the database file at " + location.describe() + " is corrupt or not an H2 database"
          + " (" + message + "); move it aside and Forge will start a new one";
    }
    return "database error at " + location.describe() + ": " + message;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is already broken; the outer handler reports the original failure.
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
