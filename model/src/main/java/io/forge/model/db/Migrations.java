package io.forge.model.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Applies the versioned migrations under {@code db/forge} with Flyway. Kept in its own class so
 * that Flyway is class-loaded only when the schema actually needs creating or evolving.
 */
final class Migrations {

  /**
   * Flyway logs every step (and a warning that H2 2.5 is newer than it was verified with) to
   * java.util.logging on stderr; a wrapped job's stderr must stay the job's own. Held
   * strongly so the level is not lost to garbage collection.
   */
  private static final java.util.logging.Logger FLYWAY_LOG =
      java.util.logging.Logger.getLogger("org.flywaydb");

  private Migrations() {}

  static void apply(StoreLocation location) {
    FLYWAY_LOG.setLevel(java.util.logging.Level.SEVERE);
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(location.jdbcUrl(), location.user(), location.password())
        .locations("classpath:db/forge")
        .table(Database.HISTORY_TABLE)
        .baselineOnMigrate(false)
        .callbacks(new BlobDomain())
        .load()
        .migrate();
  }

  /**
   * The same migrations run on PostgreSQL, which has no {@code BLOB} type (the model payload's
   * column since V2): before each migration there, a domain of that name over {@code bytea}
   * makes the script portable without changing it (an applied migration's checksum must not
   * change). Made in a callback, not ahead of Flyway, which refuses a non-empty schema without
   * its history table.
   */
  private static final class BlobDomain implements Callback {
    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      try {
        java.sql.Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
          return;
        }
        try (java.sql.Statement st = c.createStatement()) {
          st.execute("DO $$ BEGIN CREATE DOMAIN blob AS bytea;"
              + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
      } catch (java.sql.SQLException e) {
        throw new org.flywaydb.core.api.FlywayException("cannot prepare PostgreSQL for Forge's"
            + " schema: " + e.getMessage(), e);
      }
    }

    @Override
    public String getCallbackName() {
      return "forge-blob-domain";
    }
  }
}
