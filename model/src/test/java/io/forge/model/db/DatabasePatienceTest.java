package io.forge.model.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.model.history.StoreException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How long an operation waits for the database, and what it says when it stops waiting. */
class DatabasePatienceTest {

  @TempDir Path home;

  @Test
  void aTurnHeldLongerThanThePatienceGivesUpNamingTheHolder() throws Exception {
    StoreLocation location = StoreLocation.embedded(home);
    Database patient = Database.open(location);
    Database hurried = Database.open(location, new Patience(1_000, 1_000));
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> patient.inTransaction(c -> {
      holding.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    holder.start();
    holding.await();
    try {
      long t0 = System.nanoTime();
      StoreException e = assertThrows(StoreException.class,
          () -> hurried.inTransaction(Database::schemaVersion));
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(e.getMessage().contains("process " + ProcessHandle.current().pid()
          + " has held it for"), e.getMessage());
      assertTrue(waitedMs >= 900, "waited its patience: " + waitedMs + " ms");
      // Its default patience is 30 s; the holder lets go long before that.
      release.countDown();
      holder.join();
      assertEquals(Database.SCHEMA_VERSION, hurried.inTransaction(Database::schemaVersion),
          "the same database, once the turn is free");
    } finally {
      release.countDown();
      holder.join();
    }
  }

  @Test
  void aUrlNoDriverTakesIsAConfigurationErrorAtOnceNotABrokenConnectionRetried() {
    StoreLocation location = new StoreLocation("not-a-jdbc-url", "forge", "", home);
    long t0 = System.nanoTime();
    StoreException e = assertThrows(StoreException.class, () -> Database.open(location));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(e.getMessage().startsWith("no database driver in Forge accepts the URL"
        + " not-a-jdbc-url"), e.getMessage());
    assertTrue(tookMs < 10_000, "retried for " + tookMs + " ms (it used to retry for 25 s)");
  }

  @Test
  void aWaitThatRunsOutSaysWhoHeldTheTurnOnlyWhenItIsStillThere() throws Exception {
    Path lock = home.resolve("forge.db.lock");
    java.nio.file.Files.writeString(FileTurn.holderFile(lock), ProcessHandle.current().pid() + " "
        + (System.currentTimeMillis() - 42_000) + "\n");
    String alive = FileTurn.holder(lock, 30_000);
    assertTrue(alive.matches("waited 30 s; process \\d+ has held it for 4[23] s"), alive);
    java.nio.file.Files.writeString(FileTurn.holderFile(lock), "2147483646 0\n");
    assertEquals("waited 30 s while another process held it", FileTurn.holder(lock, 30_000));
    java.nio.file.Files.writeString(FileTurn.holderFile(lock), "");
    assertEquals("waited 500 ms while another process held it", FileTurn.holder(lock, 500));
  }
}
