package io.forge.model.db;

import io.forge.model.Json;
import io.forge.model.predict.ModelInfo;
import io.forge.model.predict.TrainedModel;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Trained models in table {@code forge_model}: every host that shares the database shares the
 * model. Versions are 1, 2, 3, … in order of saving.
 */
public final class ModelRepository {

  private final Database db;

  /** A repository over an open database. */
  public ModelRepository(Database db) {
    this.db = db;
  }

  /** Saves a model under the next version number and returns it carrying that version. */
  public TrainedModel save(TrainedModel model) {
    byte[] payload = model.payloadBytes();
    return db.inTransaction(
        c -> {
          int next;
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM forge_model");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            next = rs.getInt(1);
          }
          ModelInfo info = model.info().withVersion(next);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO forge_model (version, trained_at, row_count, layout_version,"
                      + " feature_layout, holdout, payload) VALUES (?,?,?,?,?,?,?)")) {
            ps.setInt(1, next);
            ps.setObject(2, Sql.utc(info.trainedAt()));
            ps.setInt(3, info.rowCount());
            ps.setInt(4, info.layoutVersion());
            ps.setString(5, info.featureLayout());
            ps.setString(6, Json.write(info.holdout()));
            ps.setBytes(7, payload);
            ps.executeUpdate();
          }
          return model.withVersion(next);
        });
  }

  /** Metadata of the newest model, without loading its payload. */
  public Optional<ModelInfo> latestInfo() {
    return newest("", ModelRepository::info);
  }

  /** The newest model, if any. */
  public Optional<TrainedModel> latest() {
    return newest(", payload", rs -> TrainedModel.fromPayload(rs.getBytes("payload"), info(rs)));
  }

  /** A row reader. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> Optional<T> newest(String extraColumns, RowReader<T> reader) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT version, trained_at, row_count, layout_version, feature_layout,"
                          + " holdout" + extraColumns + " FROM forge_model ORDER BY version DESC"
                          + " FETCH FIRST 1 ROWS ONLY");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(reader.read(rs)) : Optional.<T>empty();
          }
        });
  }

  private static ModelInfo info(ResultSet rs) throws SQLException {
    Map<String, Object> holdout = Json.readObject(rs.getString("holdout"));
    holdout.values().removeIf(v -> v == null);
    return new ModelInfo(
        rs.getInt("version"),
        rs.getObject("trained_at", OffsetDateTime.class).toInstant(),
        rs.getInt("row_count"),
        rs.getInt("layout_version"),
        rs.getString("feature_layout"),
        holdout);
  }
}
