package io.forge.model.db;

import io.forge.model.history.RunColumns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Binding and reading typed values ({@link RunColumns#TYPES}) with JDBC. */
final class Sql {

  private Sql() {}

  /** Binds one value of the given column type (null binds SQL NULL of that type). */
  static void bind(PreparedStatement ps, int index, Class<?> type, Object value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, type == Double.class ? Types.DOUBLE : type == Integer.class
          ? Types.INTEGER : type == Long.class ? Types.BIGINT : type == Instant.class
          ? Types.TIMESTAMP_WITH_TIMEZONE : Types.VARCHAR);
    } else if (value instanceof Instant i) {
      ps.setObject(index, utc(i));
    } else {
      ps.setObject(index, value);
    }
  }

  /** The time as a UTC {@code TIMESTAMP WITH TIME ZONE} value. */
  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The current row of a result set, by column name. */
  static RunColumns.Values values(ResultSet rs) {
    return new RunColumns.Values() {
      @Override
      public String text(String column) {
        return get(() -> rs.getString(column));
      }

      @Override
      public Double number(String column) {
        return get(() -> {
          double v = rs.getDouble(column);
          return rs.wasNull() ? null : v;
        });
      }

      @Override
      public Long integer(String column) {
        return get(() -> {
          long v = rs.getLong(column);
          return rs.wasNull() ? null : v;
        });
      }

      @Override
      public Instant instant(String column) {
        return get(() -> {
          OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
          return t == null ? null : t.toInstant();
        });
      }
    };
  }

  private interface Read<T> {
    T get() throws SQLException;
  }

  private static <T> T get(Read<T> read) {
    try {
      return read.get();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a column: " + e.getMessage(), e);
    }
  }
}
