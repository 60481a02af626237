package io.forge.model.db;

import io.forge.model.Usage;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The reads that size a job: what each analysis's earlier runs showed (a summary, the last few,
 * a kill since) and the peak calibration of the whole history. Both come from one fold over the
 * runs in the order they settled, each added by {@link Predictor.Earlier#plus} as a launch adds
 * its spooled runs — so the database, the snapshot and a launch agree to the last bit. Reads
 * never write.
 */
public final class EvidenceQueries {

  /** The runs that inform sizing, oldest settlement first: measured ones and kills at a cap. */
  private static final String INFORMING = "SELECT analysis_id, outcome, actual_rss_mb,"
      + " memory_limit_mb, basis, predicted_rss_mb, predicted_at, settled_at, actual_cpu_s,"
      + " actual_wall_s FROM resource_prediction WHERE settled_at IS NOT NULL AND (("
      + RunQueries.MEASURED + ") OR (outcome = 'oom_killed' AND memory_limit_mb IS NOT NULL))";

  private static final String ORDER = " ORDER BY settled_at, id";

  private final Database db;

  EvidenceQueries(Database db) {
    this.db = db;
  }

  /**
   * What is known of an analysis's earlier runs: a summary over all of its measured runs (the
   * prior-run features), its most recent {@code limit} of them, oldest first (for history-basis
   * predictions), and the largest cap a run was killed at since the last measured one.
   */
  public Predictor.Earlier priorRuns(String analysisId, int limit) {
    return db.inTransaction(
        c -> {
          Seen seen = new Seen(Math.max(1, limit));
          try (PreparedStatement ps = c.prepareStatement(
              INFORMING + " AND analysis_id = ?" + ORDER)) {
            ps.setString(1, analysisId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                seen.add(rs, null);
              }
            }
          }
          return seen.earlier();
        });
  }

  /**
   * What the launch snapshot holds, from one pass over the history: per analysis, {@link
   * #priorRuns}; and the peak calibration — every measured run and every kill at a cap replayed
   * in order ({@link PeakCalibration}), a measured run that a model predicted before its
   * analysis had a measured run settled also scoring that guess.
   *
   * @param analyses earlier runs per analysis (an analysis only ever killed has no measured run)
   * @param calibration the calibration of the whole history
   */
  public record Replayed(Map<String, Predictor.Earlier> analyses, PeakCalibration calibration) {}

  /** The history replayed once ({@link Replayed}), keeping {@code recentLimit} recent runs. */
  public Replayed replay(int recentLimit) {
    return db.inTransaction(
        c -> {
          PeakCalibration calibration = new PeakCalibration();
          Map<String, Seen> seen = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(INFORMING + ORDER);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              seen.computeIfAbsent(rs.getString(1), k -> new Seen(Math.max(1, recentLimit)))
                  .add(rs, calibration);
            }
          }
          Map<String, Predictor.Earlier> analyses = new HashMap<>();
          seen.forEach((id, s) -> analyses.put(id, s.earlier()));
          return new Replayed(analyses, calibration);
        });
  }

  /** One analysis as the fold has seen it so far. */
  private static final class Seen {
    private final int window;
    private Predictor.Earlier earlier = Predictor.Earlier.none();
    private Instant firstSettled;

    Seen(int window) {
      this.window = window;
    }

    /** Folds in the current row of {@link #INFORMING}, teaching {@code calibration} if given. */
    void add(ResultSet rs, PeakCalibration calibration) throws SQLException {
      String analysis = rs.getString(1);
      if ("oom_killed".equals(rs.getString(2))) {
        earlier = earlier.killedAt(rs.getDouble(4));
        if (calibration != null) {
          calibration.killed(analysis, rs.getDouble(4));
        }
        return;
      }
      if (firstSettled == null) {
        firstSettled = instant(rs, 8);
      }
      if (calibration != null) {
        boolean cold = earlier.summary().count() == 0 || instant(rs, 7).isBefore(firstSettled);
        if (cold && "model".equals(rs.getString(5)) && rs.getDouble(6) > 0) {
          calibration.coldPrediction(rs.getDouble(6), rs.getDouble(3));
        }
        calibration.completed(analysis, rs.getDouble(3));
      }
      earlier = earlier.plus(new Usage(rs.getDouble(9), rs.getDouble(3), rs.getDouble(10)),
          window);
    }

    Predictor.Earlier earlier() {
      return earlier;
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
