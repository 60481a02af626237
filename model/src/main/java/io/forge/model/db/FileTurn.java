package io.forge.model.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process's turn on the embedded database file: an exclusive operating-system lock on
 * {@link StoreLocation#lockFile()} (and a JVM-wide lock, since one JVM cannot hold the same
 * file lock twice), held while the file is opened, used and closed; both are waited for at
 * most the caller's patience. The kernel drops the lock of
 * a killed process, so a crash never blocks the others. A no-op for server databases.
 */
final class FileTurn implements AutoCloseable {

  /** How long a command's operation waits for its turn on the embedded file by default. */
  static final long LOCK_WAIT_MS = 30_000;

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS =
      new ConcurrentHashMap<>();

  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private FileTurn(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
    this.jvmLock = jvmLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /**
   * Waits for this process's turn on the location's file, up to {@code waitMs}. The holder
   * writes its pid and the time it took the turn beside the lock file, so that a wait that
   * runs out can say who held it and for how long.
   *
   * @throws SQLException when the turn does not come, so the caller's retry rules apply
   */
  static FileTurn take(StoreLocation location, long waitMs) throws SQLException {
    if (!location.isEmbeddedFile()) {
      return new FileTurn(null, null, null);
    }
    Path lockPath = location.lockFile();
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockPath, p -> new ReentrantLock());
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    try {
      if (!jvmLock.tryLock(waitMs, TimeUnit.MILLISECONDS)) {
        throw new SQLException("cannot lock " + lockPath + ": " + holder(lockPath, waitMs));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("cannot lock " + lockPath + ": interrupted", e);
    }
    try {
      FileChannel channel =
          FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        while (true) {
          FileLock lock = channel.tryLock();
          if (lock != null) {
            sign(lockPath);
            return new FileTurn(jvmLock, channel, lock);
          }
          if (System.nanoTime() > deadline) {
            throw new IOException(holder(lockPath, waitMs));
          }
          Database.sleepQuietly(5 + ThreadLocalRandom.current().nextLong(10));
        }
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      jvmLock.unlock();
      throw new SQLException("cannot lock " + lockPath + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      jvmLock.unlock(); // else every later operation of this JVM waits for it forever
      throw e;
    }
  }

  /**
   * Writes this process's pid and the time it took the turn beside the lock file. Not into
   * it: closing any descriptor of a file drops every POSIX lock the process holds on it, so
   * whoever reads the holder must not open the lock file itself.
   */
  private static void sign(Path lockPath) {
    try (java.io.FileOutputStream out = new java.io.FileOutputStream(holderFile(lockPath)
        .toFile())) {
      out.write((ProcessHandle.current().pid() + " " + System.currentTimeMillis() + "\n")
          .getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // Only for a message: the turn is taken regardless.
    }
  }

  static Path holderFile(Path lockPath) {
    return lockPath.resolveSibling(lockPath.getFileName() + ".holder");
  }

  /** Who holds the turn, as its holder file says, for the message of a wait that ran out. */
  static String holder(Path lockPath, long waitedMs) {
    String waited = "waited " + (waitedMs >= 1000 ? waitedMs / 1000 + " s" : waitedMs + " ms");
    try {
      String[] f = Files.readString(holderFile(lockPath), StandardCharsets.US_ASCII).trim()
          .split(" ");
      long pid = Long.parseLong(f[0]);
      long heldS = (System.currentTimeMillis() - Long.parseLong(f[1])) / 1000;
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return waited + "; process " + pid + " has held it for " + heldS + " s";
      }
    } catch (IOException | RuntimeException e) {
      // An unsigned or half-written file: say what is known.
    }
    return waited + " while another process held it";
  }

  /** Whether this is a real turn (an embedded file), after which the file must be closed. */
  boolean held() {
    return fileLock != null;
  }

  @Override
  public void close() {
    if (fileLock == null) {
      return;
    }
    try {
      fileLock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock in any case; nothing is lost.
    } finally {
      jvmLock.unlock();
    }
  }
}
