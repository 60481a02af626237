package io.forge.model.store;

import io.forge.model.Outcome;
import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.Basis;
import io.forge.model.predict.Interval;
import io.forge.model.predict.Prediction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The history of runs in {@code resource_prediction}: record before a job starts, settle after
 * it ends, read back for predictions, training and accuracy. Thread-safe; every operation is
 * one short transaction, retried on transient failures and idempotent under retry.
 */
public final class HistoryStore implements AutoCloseable {

  /**
   * An unsettled row from another host is declared abandoned after this long (rows from this
   * host are checked against the recording process instead).
   */
  public static final Duration FOREIGN_ABANDON_AFTER = Duration.ofDays(7);

  private static final String COLUMNS =
      "id, run_id, analysis_id, runtime, predicted_cpu_s, predicted_rss_mb, predicted_wall_s,"
          + " predicted_cpu_low_s, predicted_cpu_high_s, predicted_rss_low_mb,"
          + " predicted_rss_high_mb, predicted_wall_low_s, predicted_wall_high_s, confidence,"
          + " basis, actual_cpu_s, actual_rss_mb, actual_wall_s, model_version, predicted_at,"
          + " settled_at, mode, memory_limit_mb, timeout_s, mechanism, exit_code, outcome,"
          + " input_count, input_total_mb, input_max_mb, script_features, command, source, label";

  private static final String MEASURED =
      "outcome IN ('ok', 'failed') AND actual_cpu_s IS NOT NULL AND actual_rss_mb IS NOT NULL"
          + " AND actual_wall_s IS NOT NULL";

  private final Database db;
  private final RecorderIdentity self;

  /** A store over an open database, recording as this process. */
  public HistoryStore(Database db) {
    this(db, RecorderIdentity.current());
  }

  HistoryStore(Database db, RecorderIdentity self) {
    this.db = db;
    this.self = self;
  }

  /** Opens (creating and migrating as needed) the database at a location. */
  public static HistoryStore open(StoreLocation location) {
    return new HistoryStore(Database.open(location));
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
    return db.inTransaction(
        c -> {
          int inserted = 0;
          for (int i = 0; i < runs.size(); i++) {
            if (insert(c, runs.get(i), settlements.get(i), self)) {
              inserted++;
            }
          }
          return inserted;
        });
  }

  private static boolean insert(Connection c, NewRun run, Settlement settlement,
      RecorderIdentity recorder) throws SQLException {
    if (exists(c, "run_id", run.runId())
        || (run.importKey() != null && exists(c, "import_key", run.importKey()))) {
      return false;
    }
    String sql =
        "INSERT INTO resource_prediction (run_id, analysis_id, runtime, predicted_cpu_s,"
            + " predicted_rss_mb, predicted_wall_s, predicted_cpu_low_s, predicted_cpu_high_s,"
            + " predicted_rss_low_mb, predicted_rss_high_mb, predicted_wall_low_s,"
            + " predicted_wall_high_s, confidence, basis, model_version, predicted_at, mode,"
            + " memory_limit_mb, timeout_s, mechanism, outcome, input_count, input_total_mb,"
            + " input_max_mb, script_features, command, host, recorder_pid,"
            + " recorder_started_ms, source, label, import_key, actual_cpu_s, actual_rss_mb,"
            + " actual_wall_s, settled_at, exit_code)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Features f = run.features();
      Prediction p = run.prediction();
      int i = 1;
      ps.setString(i++, run.runId());
      ps.setString(i++, run.analysisId());
      ps.setString(i++, f.runtime());
      for (Target t : Target.values()) {
        setDouble(ps, i++, p == null ? null : p.get(t));
      }
      for (Target t : Target.values()) {
        setDouble(ps, i++, p == null ? null : p.interval(t).low());
        setDouble(ps, i++, p == null ? null : p.interval(t).high());
      }
      setDouble(ps, i++, p == null ? null : p.confidence());
      ps.setString(i++, p == null ? null : p.basis().jsonName());
      setInt(ps, i++, p == null ? null : p.modelVersion());
      ps.setObject(i++, utc(run.predictedAt()));
      ps.setString(i++, run.mode());
      setDouble(ps, i++, run.memoryLimitMb());
      setDouble(ps, i++, run.timeoutSeconds());
      ps.setString(i++, run.mechanism());
      ps.setString(
          i++, settlement == null ? Outcome.RUNNING.dbName() : settlement.outcome().dbName());
      ps.setInt(i++, f.inputCount());
      ps.setDouble(i++, f.inputTotalMb());
      ps.setDouble(i++, f.inputMaxMb());
      ps.setString(i++, ScriptFeaturesCodec.encode(f.script()));
      ps.setString(i++, run.command());
      ps.setString(i++, recorder.host());
      ps.setLong(i++, recorder.pid());
      ps.setLong(i++, recorder.startedMs());
      ps.setString(i++, run.source());
      ps.setString(i++, run.label());
      ps.setString(i++, run.importKey());
      Usage a = settlement == null ? null : settlement.actual();
      setDouble(ps, i++, a == null ? null : a.cpuSeconds());
      setDouble(ps, i++, a == null ? null : a.peakRssMb());
      setDouble(ps, i++, a == null ? null : a.wallSeconds());
      ps.setObject(i++, settlement == null ? null : utc(settlement.settledAt()));
      setInt(ps, i++, settlement == null ? null : settlement.exitCode());
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        return false; // a concurrent or earlier attempt inserted the same run: idempotent
      }
      throw e;
    }
  }

  private static boolean exists(Connection c, String column, String value) throws SQLException {
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
   * @throws StoreException when no run with that id was recorded
   */
  public void settle(String runId, Settlement s) {
    db.inTransaction(
        c -> {
          if (!update(c, runId, s) && !exists(c, "run_id", runId)) {
            throw new StoreException("no recorded run with id " + runId + " to settle");
          }
          return null;
        });
  }

  /** Settles a running or abandoned row; false when no such row was updated. */
  private static boolean update(Connection c, String runId, Settlement s) throws SQLException {
          String sql =
              "UPDATE resource_prediction SET actual_cpu_s = ?, actual_rss_mb = ?,"
                  + " actual_wall_s = ?, settled_at = ?, outcome = ?, exit_code = ?"
                  + " WHERE run_id = ? AND outcome IN ('running', 'abandoned')";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Usage a = s.actual();
            setDouble(ps, 1, a == null ? null : a.cpuSeconds());
            setDouble(ps, 2, a == null ? null : a.peakRssMb());
            setDouble(ps, 3, a == null ? null : a.wallSeconds());
            ps.setObject(4, utc(s.settledAt()));
            ps.setString(5, s.outcome().dbName());
            setInt(ps, 6, s.exitCode());
            ps.setString(7, runId);
            return ps.executeUpdate() > 0;
          }
  }

  /**
   * What one ingestion of the spool did.
   *
   * @param ingested spooled runs now in the database
   * @param abandoned of those, runs whose recorder died before settling them
   * @param unreadable spool files that could not be parsed (left in place, named for the user)
   */
  public record Ingestion(int ingested, int abandoned, List<java.nio.file.Path> unreadable) {}

  /**
   * Moves spooled runs into the table: each is inserted if absent and settled when its spool
   * file holds a settlement; a run still running whose recorder on this host is gone is marked
   * {@code abandoned}. Settled and abandoned spool files are deleted after the commit; running
   * ones stay until their launcher settles them.
   *
   * <p>Race-free without locking the launchers out: a settled file is final (its launcher never
   * writes it again), and a running file is declared abandoned only after its recorder is known
   * to be dead <em>and</em> the file has been read again — a recorder that settled just before it
   * exited is therefore never mistaken for an abandoned one.
   */
  public Ingestion ingest(Spool spool, Instant now) {
    List<java.nio.file.Path> unreadable = new ArrayList<>();
    return ingest(spool, spool.entries(unreadable), unreadable, now);
  }

  /** Ingests entries read earlier (the gap between reading and ingesting is what tests probe). */
  Ingestion ingest(Spool spool, List<Spool.Entry> entries, List<java.nio.file.Path> unreadable,
      Instant now) {
    if (entries.isEmpty()) {
      return new Ingestion(0, 0, unreadable);
    }
    List<java.nio.file.Path> done = new ArrayList<>();
    int[] abandoned = {0};
    db.inTransaction(
        c -> {
          done.clear();
          abandoned[0] = 0;
          for (Spool.Entry read : entries) {
            Spool.Entry e = read;
            if (e.settlement() == null && e.recorder().host().equals(self.host())
                && !RecorderIdentity.isAlive(e.recorder().pid(), e.recorder().startedMs())) {
              // Dead now, so it can no longer write: what the file says now is final.
              Optional<Spool.Entry> latest = Spool.reread(e.file());
              if (latest.isEmpty()) {
                continue; // ingested and removed by another process meanwhile
              }
              e = latest.get();
              if (e.settlement() == null) {
                e = new Spool.Entry(e.run(), new Settlement(null, Outcome.ABANDONED, null, now),
                    e.recorder(), e.file());
                abandoned[0]++;
              }
            }
            insert(c, e.run(), null, e.recorder());
            if (e.settlement() != null) {
              update(c, e.run().runId(), e.settlement());
              done.add(e.file());
            }
          }
          return null;
        });
    done.forEach(spool::remove);
    return new Ingestion(entries.size(), abandoned[0], unreadable);
  }

  /** The most recent runs, newest first. */
  public List<RunRecord> history(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    return db.inTransaction(
        c -> query(c, "SELECT " + COLUMNS + " FROM resource_prediction"
            + " ORDER BY predicted_at DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY"));
  }

  /** One run by id. */
  public Optional<RunRecord> find(String runId) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM resource_prediction WHERE run_id = ?")) {
            ps.setString(1, runId);
            List<RunRecord> rows = read(ps);
            return rows.isEmpty() ? Optional.<RunRecord>empty() : Optional.of(rows.get(0));
          }
        });
  }

  /**
   * Runs whose actuals are complete measurements (outcome {@code ok} or {@code failed}), oldest
   * prediction first: the training rows.
   */
  public List<RunRecord> measuredRuns() {
    return db.inTransaction(
        c -> query(c, "SELECT " + COLUMNS + " FROM resource_prediction WHERE " + MEASURED
            + " ORDER BY predicted_at, id"));
  }

  /**
   * The last {@code n} settled runs that carry a prediction and actuals, oldest first: runs that
   * completed ({@code ok}, {@code failed}) and runs Forge stopped ({@code oom_killed}, {@code
   * timed_out}, whose actuals are lower bounds). Refused and abandoned runs have no actuals.
   */
  public List<RunRecord> lastSettled(int n) {
    return db.inTransaction(
        c -> {
          List<RunRecord> rows =
              query(c, "SELECT " + COLUMNS + " FROM resource_prediction WHERE outcome IN"
                  + " ('ok', 'failed', 'oom_killed', 'timed_out') AND actual_cpu_s IS NOT NULL"
                  + " AND actual_rss_mb IS NOT NULL AND actual_wall_s IS NOT NULL"
                  + " AND predicted_rss_mb IS NOT NULL ORDER BY settled_at DESC, id DESC"
                  + " FETCH FIRST " + Math.max(1, n) + " ROWS ONLY");
          Collections.reverse(rows);
          return rows;
        });
  }

  /** Number of runs per outcome ({@code ok → 12, oom_killed → 1, …}). */
  public java.util.Map<String, Integer> outcomeCounts() {
    return db.inTransaction(
        c -> {
          java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT outcome, COUNT(*) FROM resource_prediction GROUP BY outcome");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts.put(rs.getString(1), rs.getInt(2));
            }
          }
          return counts;
        });
  }

  /** Number of runs usable for training. */
  public int measuredCount() {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COUNT(*) FROM resource_prediction WHERE " + MEASURED);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  /**
   * What is known of an analysis's earlier runs: a summary over all of its measured runs (the
   * prior-run features) and its most recent {@code limit} runs, oldest first (for history-basis
   * predictions).
   */
  public PriorRunsResult priorRuns(String analysisId, int limit) {
    return db.inTransaction(
        c -> {
          List<Usage> runs = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT actual_cpu_s, actual_rss_mb, actual_wall_s FROM resource_prediction"
                      + " WHERE analysis_id = ? AND " + MEASURED
                      + " ORDER BY settled_at DESC, id DESC FETCH FIRST " + Math.max(1, limit)
                      + " ROWS ONLY")) {
            ps.setString(1, analysisId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                runs.add(new Usage(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)));
              }
            }
          }
          if (runs.isEmpty()) {
            return new PriorRunsResult(runs, PriorRuns.none());
          }
          Collections.reverse(runs);
          PriorRuns summary;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*), AVG(actual_cpu_s), AVG(actual_rss_mb), AVG(actual_wall_s),"
                      + " MAX(actual_cpu_s), MAX(actual_rss_mb), MAX(actual_wall_s)"
                      + " FROM resource_prediction WHERE analysis_id = ? AND " + MEASURED)) {
            ps.setString(1, analysisId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              summary =
                  new PriorRuns(
                      rs.getInt(1),
                      new Usage(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)),
                      new Usage(rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)),
                      runs.get(runs.size() - 1));
            }
          }
          return new PriorRunsResult(runs, summary);
        });
  }

  /**
   * {@link #priorRuns} for every analysis at once (to build the launch snapshot): two queries,
   * one aggregate and one window over the last {@code recentLimit} runs of each analysis.
   */
  public java.util.Map<String, PriorRunsResult> allPriorRuns(int recentLimit) {
    return db.inTransaction(
        c -> {
          java.util.Map<String, List<Usage>> recent = new java.util.HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT analysis_id, actual_cpu_s, actual_rss_mb, actual_wall_s FROM ("
                      + "SELECT analysis_id, actual_cpu_s, actual_rss_mb, actual_wall_s,"
                      + " ROW_NUMBER() OVER (PARTITION BY analysis_id"
                      + " ORDER BY settled_at DESC, id DESC) AS rn"
                      + " FROM resource_prediction WHERE " + MEASURED + ") ranked"
                      + " WHERE rn <= ? ORDER BY analysis_id, rn DESC")) {
            ps.setInt(1, Math.max(1, recentLimit));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                recent.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new Usage(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)));
              }
            }
          }
          java.util.Map<String, PriorRunsResult> all = new java.util.HashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT analysis_id, COUNT(*), AVG(actual_cpu_s), AVG(actual_rss_mb),"
                          + " AVG(actual_wall_s), MAX(actual_cpu_s), MAX(actual_rss_mb),"
                          + " MAX(actual_wall_s) FROM resource_prediction WHERE " + MEASURED
                          + " GROUP BY analysis_id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              List<Usage> runs = recent.getOrDefault(rs.getString(1), List.of());
              if (runs.isEmpty()) {
                continue;
              }
              all.put(rs.getString(1), new PriorRunsResult(runs, new PriorRuns(
                  rs.getInt(2),
                  new Usage(rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)),
                  new Usage(rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)),
                  runs.get(runs.size() - 1))));
            }
          }
          return all;
        });
  }

  /**
   * Earlier runs of an analysis.
   *
   * @param recentOldestFirst the most recent runs, oldest first
   * @param summary count, mean, max and last over all of them
   */
  public record PriorRunsResult(List<Usage> recentOldestFirst, PriorRuns summary) {
    /** Copies the list. */
    public PriorRunsResult {
      recentOldestFirst = List.copyOf(recentOldestFirst);
    }
  }

  /**
   * Marks as {@code abandoned} every running row whose recorder is gone: on this host, the
   * recording process no longer exists (checked by pid and start time, so a reused pid does
   * not fool it); on other hosts, the row is older than {@link #FOREIGN_ABANDON_AFTER}.
   *
   * @return how many rows were marked
   */
  public int markAbandoned(Instant now) {
    return db.inTransaction(
        c -> {
          List<String> dead = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT run_id, host, recorder_pid, recorder_started_ms, predicted_at"
                      + " FROM resource_prediction WHERE outcome = 'running'")) {
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String host = rs.getString(2);
                long pid = rs.getLong(3);
                long started = rs.getLong(4);
                Instant predictedAt = rs.getObject(5, OffsetDateTime.class).toInstant();
                boolean gone =
                    self.host().equals(host)
                        ? !RecorderIdentity.isAlive(pid, started)
                        : predictedAt.plus(FOREIGN_ABANDON_AFTER).isBefore(now);
                if (gone) {
                  dead.add(rs.getString(1));
                }
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE resource_prediction SET outcome = 'abandoned', settled_at = ?"
                      + " WHERE run_id = ? AND outcome = 'running'")) {
            for (String runId : dead) {
              ps.setObject(1, utc(now));
              ps.setString(2, runId);
              ps.addBatch();
            }
            if (!dead.isEmpty()) {
              ps.executeBatch();
            }
          }
          return dead.size();
        });
  }

  private static List<RunRecord> query(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return read(ps);
    }
  }

  private static List<RunRecord> read(PreparedStatement ps) throws SQLException {
    List<RunRecord> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(row(rs));
      }
    }
    return rows;
  }

  private static RunRecord row(ResultSet rs) throws SQLException {
    Prediction p = null;
    Double cpu = getDouble(rs, "predicted_cpu_s");
    Double rss = getDouble(rs, "predicted_rss_mb");
    Double wall = getDouble(rs, "predicted_wall_s");
    String basis = rs.getString("basis");
    if (cpu != null && rss != null && wall != null && basis != null) {
      Integer version = (Integer) rs.getObject("model_version");
      p =
          new Prediction(
              cpu, rss, wall,
              rs.getDouble("confidence"),
              interval(rs, "predicted_cpu_low_s", "predicted_cpu_high_s"),
              interval(rs, "predicted_rss_low_mb", "predicted_rss_high_mb"),
              interval(rs, "predicted_wall_low_s", "predicted_wall_high_s"),
              version,
              Basis.fromJson(basis));
    }
    Double aCpu = getDouble(rs, "actual_cpu_s");
    Double aRss = getDouble(rs, "actual_rss_mb");
    Double aWall = getDouble(rs, "actual_wall_s");
    Usage actual = aCpu == null || aRss == null || aWall == null ? null
        : new Usage(aCpu, aRss, aWall);
    OffsetDateTime settled = rs.getObject("settled_at", OffsetDateTime.class);
    return new RunRecord(
        rs.getLong("id"),
        rs.getString("run_id"),
        rs.getString("analysis_id"),
        rs.getString("runtime"),
        p,
        actual,
        rs.getObject("predicted_at", OffsetDateTime.class).toInstant(),
        settled == null ? null : settled.toInstant(),
        rs.getString("mode"),
        getDouble(rs, "memory_limit_mb"),
        getDouble(rs, "timeout_s"),
        rs.getString("mechanism"),
        (Integer) rs.getObject("exit_code"),
        Outcome.fromDb(rs.getString("outcome")),
        rs.getInt("input_count"),
        rs.getDouble("input_total_mb"),
        rs.getDouble("input_max_mb"),
        ScriptFeaturesCodec.decode(rs.getString("script_features")),
        rs.getString("command"),
        rs.getString("source"),
        rs.getString("label"));
  }

  private static Interval interval(ResultSet rs, String low, String high) throws SQLException {
    return new Interval(rs.getDouble(low), rs.getDouble(high));
  }

  private static Double getDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
