package io.forge.model.db;

import org.flywaydb.core.Flyway;

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
        .load()
        .migrate();
  }
}
