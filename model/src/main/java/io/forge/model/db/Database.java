package io.forge.model.db;

import io.forge.model.history.StoreException;
import io.forge.model.history.UnusableStoreException;
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
 * <p><b>The embedded file is shared by taking turns.</b> Every operation takes an exclusive
 * operating-system lock on {@link StoreLocation#lockFile()} (and a JVM-wide lock, since one JVM
 * cannot hold the same file lock twice), opens the H2 file, runs one transaction and closes
 * the file before releasing the lock. The kernel drops the lock of a killed process, so a
 * crash never blocks the others, and H2 recovers the file on the next open. H2's automatic
 * mixed mode ({@code AUTO_SERVER}) was measured first and rejected: with 12 JVMs each
 * recording and settling 15 runs, 8 of them failed with "Lock file recently modified" or
 * "Locked by another process" while the serving role moved between exiting processes, and the
 * run took almost 4 minutes.
 *
 * <p>For other databases ({@code FORGE_DB_URL}) idle connections are pooled until {@link
 * #release()}. Operations are retried on transient errors (lock timeouts, broken connections),
 * and callers make every operation idempotent.
 */
public final class Database implements AutoCloseable {

  /** Highest migration version under {@code db/forge}; a test pins it to the files. */
  public static final int SCHEMA_VERSION = 3;

  static final String HISTORY_TABLE = "forge_schema_history";

  /** H2 error codes of transient conditions (see org.h2.api.ErrorCode). */
  private static final Set<Integer> TRANSIENT_H2_CODES =
      Set.of(
          8000, // ERROR_OPENING_DATABASE_1: "Lock file recently modified" while the server moves
          90020, // DATABASE_ALREADY_OPEN_1: another process holds it this instant
          90067, // CONNECTION_BROKEN_1: the serving process went away
          90098, // DATABASE_IS_CLOSED
          90121, // DATABASE_CALLED_AT_SHUTDOWN
          50200, // LOCK_TIMEOUT_1
          40001, // DEADLOCK_1
          90131, // CONCURRENT_UPDATE_1
          90135); // DATABASE_IS_IN_EXCLUSIVE_MODE

  private static final int MAX_ATTEMPTS = 40;

  /** A unit of work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs the work. */
    T run(Connection connection) throws SQLException;
  }


  private final StoreLocation location;
  private final Patience patience;
  private final java.util.concurrent.ConcurrentLinkedDeque<Connection> idle =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private volatile boolean driverFound;

  private Database(StoreLocation location, Patience patience) {
    this.location = location;
    this.patience = patience;
  }

  /**
   * Opens the database, creating it and applying pending migrations when needed. When the
   * schema is already current only one small query runs: Flyway (whose start-up costs seconds)
   * is loaded only to create or evolve the schema.
   *
   * @throws StoreException with a message a user can act on
   */
  public static Database open(StoreLocation location) {
    return open(location, Patience.COMMAND);
  }

  /**
   * Opens the database with the given patience for every operation on it (see {@link
   * #open(StoreLocation)}).
   */
  public static Database open(StoreLocation location, Patience patience) {
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
    Database db = new Database(location, patience);
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
        // Inside a turn: Flyway's own connections share this JVM's open database file.
        inTransaction(
            c -> {
              Migrations.apply(location);
              return null;
            });
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
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      try (FileTurn turn = FileTurn.take(location,
          Math.max(0, Math.min(patience.turnWaitMs(), patience.retryBudgetMs() - waitedMs)))) {
        return runOnce(work, turn.held());
      } catch (SQLException e) {
        last = e;
        long pause = Math.min(1000, 20L << Math.min(attempt, 5))
            + ThreadLocalRandom.current().nextLong(50);
        waitedMs = (System.nanoTime() - started) / 1_000_000;
        if (!isTransient(e) || waitedMs + pause > patience.retryBudgetMs()) {
          break;
        }
        sleepQuietly(pause);
      }
    }
    throw new StoreException(describe(last), last);
  }

  private <T> T runOnce(Work<T> work, boolean takingTurns) throws SQLException {
    Connection c = borrow();
    try {
      T result = work.run(c);
      c.commit();
      if (takingTurns) {
        closeQuietly(c); // the file must be closed before the next process's turn
      } else {
        idle.push(c);
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      closeQuietly(c);
      throw e;
    }
  }

  private Connection borrow() throws SQLException {
    Connection c = idle.poll();
    if (c != null && !c.isClosed()) {
      return c;
    }
    if (!driverFound) {
      try {
        DriverManager.getDriver(location.jdbcUrl());
        driverFound = true;
      } catch (SQLException e) {
        // Not a transient condition: no retry will make a driver appear.
        throw new UnusableStoreException("no database driver in Forge accepts the URL "
            + location.describe() + " (FORGE_DB_URL: jdbc:postgresql://… or jdbc:h2:…)", e);
      }
    }
    c = DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
    c.setAutoCommit(false);
    return c;
  }

  /**
   * Closes the idle connections. The database stays usable: the next operation reconnects.
   * Call it before waiting a long time (a launcher waiting on its job).
   */
  public void release() {
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      closeQuietly(c);
    }
  }

  @Override
  public void close() {
    release();
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Already broken; nothing more to release.
    }
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
    if (e.getErrorCode() == 90030 || e.getErrorCode() == 90048
        || (e.getErrorCode() == 90028 && hasCause(e, "MVStoreException"))) {
      return "the database file at " + location.describe() + " is corrupt or not an H2 database"
          + " (" + message + "); move it aside and Forge will start a new one";
    }
    return "database error at " + location.describe() + ": " + message;
  }

  private static boolean hasCause(Throwable e, String simpleName) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
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
