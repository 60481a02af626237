package io.forge.model.db;

/**
 * How long one operation may wait: for its turn on the embedded file, and retrying transient
 * failures (a busy lock, a server briefly away) before it gives up.
 *
 * @param turnWaitMs the longest wait for the embedded file's turn
 * @param retryBudgetMs the longest time spent retrying transient failures
 */
public record Patience(long turnWaitMs, long retryBudgetMs) {

  /** A command a user waits for: half a minute for a turn, a minute of retries. */
  public static final Patience COMMAND = new Patience(FileTurn.LOCK_WAIT_MS, 60_000);

  /**
   * A launch whose job has ended: its run is safe in the spool, so delivering it is worth
   * at most a second.
   */
  public static final Patience LAUNCH = new Patience(1_000, 1_000);

  /** A check of whether the database answers ({@code doctor}): five seconds. */
  public static final Patience PROBE = new Patience(5_000, 5_000);
}
