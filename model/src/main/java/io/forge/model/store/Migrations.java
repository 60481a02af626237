package io.forge.model.store;

import org.flywaydb.core.Flyway;

/**
 * Applies the versioned migrations under {@code db/forge} with Flyway. Kept in its own class so
 * that Flyway is class-loaded only when the schema actually needs creating or evolving.
 */
final class Migrations {

  private Migrations() {}

  static void apply(StoreLocation location) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(location.jdbcUrl(), location.user(), location.password())
        .locations("classpath:db/forge")
        .table(Database.HISTORY_TABLE)
        .baselineOnMigrate(false)
        .load()
        .migrate();
  }
}
