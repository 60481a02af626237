package io.forge.model.db;

import io.forge.model.history.NewRun;
import io.forge.model.history.RecorderIdentity;
import io.forge.model.history.RunColumns;
import io.forge.model.history.Settlement;
import io.forge.model.history.StoreException;
import io.forge.model.spool.Spool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The history of runs in {@code resource_prediction}: record before a job starts, settle after
 * it ends (the API server, imports), with its {@linkplain #queries() reads} and the
 * {@linkplain #ingest ingestion} of the launchers' spool beside it. Thread-safe; every
 * operation is one short transaction, retried on transient failures and idempotent under
 * retry.
 */
public final class HistoryStore implements AutoCloseable {

  private static final String INSERT = "INSERT INTO resource_prediction ("
      + String.join(", ", RunColumns.NAMES) + ") VALUES ("
      + "?, ".repeat(RunColumns.NAMES.size() - 1) + "?)";

  private final Database db;
  private final RecorderIdentity self;
  private final RunQueries queries;
  private final EvidenceQueries evidence;
  private final SpoolIngestion ingestion;

  /** A store over an open database, recording as this process. */
  public HistoryStore(Database db) {
    this(db, RecorderIdentity.current());
  }

  HistoryStore(Database db, RecorderIdentity self) {
    this.db = db;
    this.self = self;
    this.queries = new RunQueries(db);
    this.evidence = new EvidenceQueries(db);
    this.ingestion = new SpoolIngestion(db, self);
  }

  /** Opens (creating and migrating as needed) the database at a location. */
  public static HistoryStore open(StoreLocation location) {
    return open(location, Patience.COMMAND);
  }

  /** Opens the database at a location, each operation waiting at most {@code patience}. */
  public static HistoryStore open(StoreLocation location, Patience patience) {
    return new HistoryStore(Database.open(location, patience));
  }

  /** Releases the pooled connections (the store reconnects if used again). */
  @Override
  public void close() {
    db.close();
  }

  /** The underlying database (shared with {@link ModelRepository}). */
  public Database database() {
    return db;
  }

  /** The reads that size a job. */
  public EvidenceQueries evidence() {
    return evidence;
  }

  /** The reads. */
  public RunQueries queries() {
    return queries;
  }

  /**
   * Records a run before it starts (outcome {@code running}). Retrying after an ambiguous
   * failure is safe: the run id is unique and a second insert of it is a no-op.
   */
  public void record(NewRun run) {
    db.inTransaction(c -> insert(c, run, null, self));
  }

  /**
   * Records a run that has already ended (imports, refusals).
   *
   * @return false when a run with the same import key or run id already exists
   */
  public boolean recordSettled(NewRun run, Settlement settlement) {
    return db.inTransaction(c -> insert(c, run, settlement, self));
  }

  /**
   * Records many already-ended runs in one transaction, skipping those whose import key is
   * already present.
   *
   * @return how many were inserted
   */
  public int recordSettledBatch(List<NewRun> runs, List<Settlement> settlements) {
    if (runs.size() != settlements.size()) {
      throw new IllegalArgumentException("one settlement per run expected");
    }
    return db.inTransaction(c -> {
      int inserted = 0;
      for (int i = 0; i < runs.size(); i++) {
        if (insert(c, runs.get(i), settlements.get(i), self)) {
          inserted++;
        }
      }
      return inserted;
    });
  }

  /** Inserts a run unless its run id or import key is there already. */
  static boolean insert(Connection c, NewRun run, Settlement settlement,
      RecorderIdentity recorder) throws SQLException {
    if (exists(c, "run_id", run.runId())
        || (run.importKey() != null && exists(c, "import_key", run.importKey()))) {
      return false;
    }
    // PostgreSQL aborts the whole transaction on a failed statement: the savepoint keeps the
    // rest of it (an import's batch, an ingestion) when another host inserted this run first.
    Savepoint before = c.setSavepoint();
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      Map<String, Object> values = RunColumns.of(run, settlement, recorder);
      int i = 1;
      for (String column : RunColumns.NAMES) {
        Sql.bind(ps, i++, RunColumns.TYPES.get(column), values.get(column));
      }
      ps.executeUpdate();
      c.releaseSavepoint(before);
      return true;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        c.rollback(before);
        return false; // a concurrent or earlier attempt inserted the same run: idempotent
      }
      throw e;
    }
  }

  static boolean exists(Connection c, String column, String value) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM resource_prediction WHERE " + column + " = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Settles a recorded run. Settling a run that is already settled is a no-op (a retried call
   * after an ambiguous failure), except that an {@code abandoned} row is corrected: its
   * recorder was only slower than the abandonment check thought.
   *
   * @return true when this call settled the run, false when it was settled already (of many
   *     concurrent settles of one run, exactly one returns true)
   * @throws StoreException when no run with that id was recorded
   */
  public boolean settle(String runId, Settlement s) {
    return db.inTransaction(c -> {
      if (update(c, runId, s)) {
        return true;
      }
      if (!exists(c, "run_id", runId)) {
        throw new StoreException("no recorded run with id " + runId + " to settle");
      }
      return false;
    });
  }

  private static final String UPDATE = "UPDATE resource_prediction SET "
      + String.join(" = ?, ", RunColumns.SETTLED)
      + " = ? WHERE run_id = ? AND outcome IN ('running', 'abandoned')";

  /** Settles a running or abandoned row; false when no such row was updated. */
  static boolean update(Connection c, String runId, Settlement s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      Map<String, Object> values = RunColumns.settlement(s);
      int i = 1;
      for (String column : RunColumns.SETTLED) {
        Sql.bind(ps, i++, RunColumns.TYPES.get(column), values.get(column));
      }
      ps.setString(i, runId);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Moves spooled runs into the table and marks as {@code abandoned} the running rows whose
   * recorder is gone: the explicit step commands take before they read (see {@link
   * SpoolIngestion}).
   */
  public SpoolIngestion.Result ingest(Spool spool, Instant now) {
    SpoolIngestion.Result result = ingestion.ingest(spool, now);
    ingestion.markAbandoned(now);
    return result;
  }

  /**
   * Stores runs another host spooled and delivered (through {@code serve}): inserted unless
   * present, settled unless settled, so a delivery repeated after a lost answer changes
   * nothing; figures no job can have are dropped as an ingestion drops them.
   */
  public SpoolIngestion.Result deliver(List<Spool.Entry> entries, Instant now) {
    return ingestion.ingest(null, entries, new java.util.ArrayList<>(), now);
  }

  /** The ingestion step itself (tests probe its parts). */
  SpoolIngestion ingestion() {
    return ingestion;
  }
}
