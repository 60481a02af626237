package io.forge.model.db;

import io.forge.model.history.RunColumns;
import io.forge.model.history.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reads of {@code resource_prediction}: recent runs, one run, the training rows, the runs
 * accuracy is computed on, and counts (what sizes a job is in {@link EvidenceQueries}). Reads
 * never write: the spool is moved in by the explicit ingestion step ({@link
 * HistoryStore#ingest}).
 */
public final class RunQueries {

  private static final String COLUMNS = "id, " + String.join(", ", RunColumns.NAMES);

  /** The condition of a run whose actuals are complete measurements. */
  static final String MEASURED =
      "outcome IN ('ok', 'failed') AND actual_cpu_s IS NOT NULL AND actual_rss_mb IS NOT NULL"
          + " AND actual_wall_s IS NOT NULL";

  private final Database db;

  RunQueries(Database db) {
    this.db = db;
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
   * timed_out}, whose actuals are lower bounds). Refused and abandoned runs have no actuals, and
   * an interrupted run's are no measurement of what it would have used.
   */
  public List<RunRecord> lastSettled(int n) {
    return db.inTransaction(
        c -> {
          List<RunRecord> rows =
              query(c, "SELECT " + COLUMNS + " FROM resource_prediction WHERE outcome IN"
                  + " ('ok', 'failed', 'oom_killed', 'timed_out') AND actual_cpu_s IS NOT NULL"
                  + " AND actual_rss_mb IS NOT NULL AND actual_wall_s IS NOT NULL"
                  + " AND predicted_rss_mb IS NOT NULL AND basis IS NOT NULL"
                  + " ORDER BY settled_at DESC, id DESC"
                  + " FETCH FIRST " + Math.max(1, n) + " ROWS ONLY");
          Collections.reverse(rows);
          return rows;
        });
  }

  /** Number of runs per outcome ({@code ok → 12, oom_killed → 1, …}). */
  public Map<String, Integer> outcomeCounts() {
    return db.inTransaction(
        c -> {
          Map<String, Integer> counts = new TreeMap<>();
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

  /** Number of analyses whose first measured run settled after {@code instant}. */
  public int analysesFirstSettledAfter(Instant instant) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT COUNT(*) FROM (SELECT analysis_id FROM resource_prediction WHERE "
                  + MEASURED + " GROUP BY analysis_id HAVING MIN(settled_at) > ?) fresh")) {
            ps.setObject(1, Sql.utc(instant));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
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
    try {
      return RunRecord.of(rs.getLong("id"), RunColumns.read(Sql.values(rs)));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw e;
    }
  }
}
