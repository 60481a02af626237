package io.forge.model.db;

import io.forge.model.Usage;
import io.forge.model.features.PriorRuns;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reads that size a job: what each analysis's earlier runs showed (a summary, the last few,
 * a kill since) and the peak calibration of the whole history. Reads never write.
 */
public final class EvidenceQueries {

  private static final String MEASURED = RunQueries.MEASURED;

  private final Database db;

  EvidenceQueries(Database db) {
    this.db = db;
  }

  /**
   * What is known of an analysis's earlier runs: a summary over all of its measured runs (the
   * prior-run features) and its most recent {@code limit} runs, oldest first (for history-basis
   * predictions), and the largest cap a run was killed at since the last measured one.
   */
  public Predictor.Earlier priorRuns(String analysisId, int limit) {
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
          double killedAt = killedSinceMeasured(c, analysisId).getOrDefault(analysisId, 0.0);
          if (runs.isEmpty()) {
            return new Predictor.Earlier(runs, PriorRuns.none(), killedAt);
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
          return new Predictor.Earlier(List.copyOf(runs), summary, killedAt);
        });
  }

  /**
   * {@link #priorRuns} for every analysis at once (to build the launch snapshot): two queries,
   * one aggregate and one window over the last {@code recentLimit} runs of each analysis, and
   * one for the kills since each analysis's last measured run.
   */
  public Map<String, Predictor.Earlier> allPriorRuns(int recentLimit) {
    return db.inTransaction(
        c -> {
          Map<String, List<Usage>> recent = new HashMap<>();
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
          Map<String, Double> killed = killedSinceMeasured(c, null);
          Map<String, Predictor.Earlier> all = new HashMap<>();
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
              all.put(rs.getString(1), new Predictor.Earlier(List.copyOf(runs), new PriorRuns(
                  rs.getInt(2),
                  new Usage(rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)),
                  new Usage(rs.getDouble(6), rs.getDouble(7), rs.getDouble(8)),
                  runs.get(runs.size() - 1)), killed.getOrDefault(rs.getString(1), 0.0)));
            }
          }
          killed.forEach((id, cap) -> all.putIfAbsent(id,
              new Predictor.Earlier(List.of(), PriorRuns.none(), cap)));
          return all;
        });
  }

  /**
   * Per analysis (or for one), the largest memory cap a run was killed at after its last
   * measured run: its peak was at least that.
   */
  private static Map<String, Double> killedSinceMeasured(Connection c, String analysisId)
      throws SQLException {
    Map<String, Double> killed = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT k.analysis_id, MAX(k.memory_limit_mb) FROM resource_prediction k"
            + " WHERE k.outcome = 'oom_killed' AND k.memory_limit_mb IS NOT NULL"
            + " AND k.settled_at IS NOT NULL"
            + (analysisId == null ? "" : " AND k.analysis_id = ?")
            + " AND NOT EXISTS (SELECT 1 FROM resource_prediction m"
            // MEASURED's unqualified columns are m's, the innermost table.
            + " WHERE m.analysis_id = k.analysis_id AND " + MEASURED
            + " AND m.settled_at > k.settled_at) GROUP BY k.analysis_id")) {
      if (analysisId != null) {
        ps.setString(1, analysisId);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          killed.put(rs.getString(1), rs.getDouble(2));
        }
      }
    }
    return killed;
  }

  /**
   * The peak calibration of the whole history: every measured run and every kill at a cap,
   * replayed in the order they settled ({@link PeakCalibration}); a measured run that a model
   * predicted before its analysis had a measured run settled also scores that guess.
   */
  public PeakCalibration calibration() {
    return db.inTransaction(
        c -> {
          PeakCalibration calibration = new PeakCalibration();
          Map<String, Instant> firstSettled = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT analysis_id, outcome, actual_rss_mb, memory_limit_mb, basis,"
                  + " predicted_rss_mb, predicted_at, settled_at FROM resource_prediction"
                  + " WHERE settled_at IS NOT NULL AND ((" + MEASURED
                  + ") OR (outcome = 'oom_killed' AND memory_limit_mb IS NOT NULL))"
                  + " ORDER BY settled_at, id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String analysis = rs.getString(1);
              if ("oom_killed".equals(rs.getString(2))) {
                calibration.killed(analysis, rs.getDouble(4));
                continue;
              }
              Instant first = firstSettled.putIfAbsent(analysis, instant(rs, 8));
              boolean cold = first == null || instant(rs, 7).isBefore(first);
              if (cold && "model".equals(rs.getString(5)) && rs.getDouble(6) > 0) {
                calibration.coldPrediction(rs.getDouble(6), rs.getDouble(3));
              }
              calibration.completed(analysis, rs.getDouble(3));
            }
          }
          return calibration;
        });
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
