package io.forge.model.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process's turn on the embedded database file: an exclusive operating-system lock on
 * {@link StoreLocation#lockFile()} (and a JVM-wide lock, since one JVM cannot hold the same
 * file lock twice), held while the file is opened, used and closed. The kernel drops the lock of
 * a killed process, so a crash never blocks the others. A no-op for server databases.
 */
final class FileTurn implements AutoCloseable {

  /** How long one operation waits for its turn on the embedded file before giving up. */
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
   * Waits for this process's turn on the location's file (up to {@link #LOCK_WAIT_MS}).
   *
   * @throws SQLException when the turn does not come, so the caller's retry rules apply
   */
  static FileTurn take(StoreLocation location) throws SQLException {
    if (!location.isEmbeddedFile()) {
      return new FileTurn(null, null, null);
    }
    Path lockPath = location.lockFile();
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockPath, p -> new ReentrantLock());
    jvmLock.lock();
    try {
      FileChannel channel =
          FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        long deadline = System.nanoTime() + LOCK_WAIT_MS * 1_000_000;
        while (true) {
          FileLock lock = channel.tryLock();
          if (lock != null) {
            return new FileTurn(jvmLock, channel, lock);
          }
          if (System.nanoTime() > deadline) {
            throw new IOException("another process has held it for more than "
                + LOCK_WAIT_MS / 1000 + " s (a hung forge process?)");
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
