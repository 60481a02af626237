package io.forge.model.db;

import io.forge.model.Outcome;
import io.forge.model.Plausible;
import io.forge.model.history.RecorderIdentity;
import io.forge.model.history.Settlement;
import io.forge.model.spool.Spool;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves the launchers' spooled runs into {@code resource_prediction} and declares abandoned the
 * rows whose recorder died before settling them: the one step that writes on behalf of others,
 * taken explicitly by the commands that read the history.
 */
public final class SpoolIngestion {

  /**
   * An unsettled row from another host is declared abandoned after this long (rows from this
   * host are checked against the recording process instead).
   */
  public static final Duration FOREIGN_ABANDON_AFTER = Duration.ofDays(7);

  /**
   * What one ingestion of the spool did.
   *
   * @param ingested spooled runs that changed the database: rows added or settled (a run still
   *     running, already ingested, counts no more)
   * @param abandoned of those, runs whose recorder died before settling them
   * @param implausible of those, runs whose figures no job can have ({@link Plausible}): kept
   *     with their outcome, without the figures
   * @param unreadable spool files that could not be parsed (left in place, named for the user)
   */
  public record Result(int ingested, int abandoned, int implausible, List<Path> unreadable) {}

  private final Database db;
  private final RecorderIdentity self;

  SpoolIngestion(Database db, RecorderIdentity self) {
    this.db = db;
    this.self = self;
  }

  /**
   * Moves spooled runs into the table: each is inserted if absent and settled when its spool
   * file holds a settlement; a run still running whose recorder on this host is gone is marked
   * {@code abandoned}. Settled and abandoned spool files are deleted after the commit; running
   * ones stay until their launcher settles them.
   *
   * <p>Race-free without locking the launchers out: a settled file is final (its launcher never
   * writes it again), and a running file is declared abandoned only after its recorder is known
   * to be dead <em>and</em> the file has been read again — a recorder that settled just before it
   * exited is therefore never mistaken for an abandoned one.
   */
  Result ingest(Spool spool, Instant now) {
    List<Path> unreadable = new ArrayList<>();
    return ingest(spool, spool.entries(unreadable), unreadable, now);
  }

  /** Ingests entries read earlier (the gap between reading and ingesting is what tests probe). */
  Result ingest(Spool spool, List<Spool.Entry> entries, List<Path> unreadable, Instant now) {
    if (entries.isEmpty()) {
      return new Result(0, 0, 0, unreadable);
    }
    List<Path> done = new ArrayList<>();
    int[] abandoned = {0};
    int[] changed = {0};
    int[] implausible = {0};
    db.inTransaction(c -> {
      done.clear();
      abandoned[0] = 0;
      changed[0] = 0;
      implausible[0] = 0;
      for (Spool.Entry read : entries) {
        Optional<Spool.Entry> resolved = resolve(read, self, now);
        if (resolved.isEmpty()) {
          continue; // ingested and removed by another process meanwhile
        }
        Spool.Entry e = resolved.get();
        if (read.settlement() == null && e.settlement() != null
            && e.settlement().outcome() == Outcome.ABANDONED) {
          abandoned[0]++;
        }
        boolean change = HistoryStore.insert(c, e.run(), null, e.recorder());
        Settlement s = e.settlement();
        if (s != null) {
          if (s.actual() != null && Plausible.whyNot(s.actual()).isPresent()) {
            s = new Settlement(null, s.outcome(), s.exitCode(), s.settledAt());
            implausible[0]++;
          }
          change |= HistoryStore.update(c, e.run().runId(), s);
          done.add(e.file());
        }
        changed[0] += change ? 1 : 0;
      }
      return null;
    });
    if (spool != null) { // null: runs a node delivered over HTTP, no file here
      done.forEach(spool::remove);
    }
    return new Result(changed[0], abandoned[0], implausible[0], unreadable);
  }

  /**
   * A spooled run as it stands for good: settled, or {@code abandoned} when it says running
   * but its recorder on this host ({@code self}'s) is gone — the file is read again first, so a
   * recorder that settled just before it exited is not mistaken for a dead one; the entry as
   * it is while it runs; empty when the file went meanwhile (another process ingested it).
   */
  public static Optional<Spool.Entry> resolve(Spool.Entry e, RecorderIdentity self,
      Instant now) {
    if (e.settlement() != null || e.file() == null || !e.recorder().host().equals(self.host())
        || RecorderIdentity.isAlive(e.recorder().pid(), e.recorder().startedMs())) {
      return Optional.of(e);
    }
    // Dead now, so it can no longer write: what the file says now is final.
    Optional<Spool.Entry> latest = Spool.reread(e.file());
    if (latest.isEmpty() || latest.get().settlement() != null) {
      return latest;
    }
    Spool.Entry l = latest.get();
    return Optional.of(new Spool.Entry(l.run(), new Settlement(null, Outcome.ABANDONED, null,
        now), l.recorder(), l.file()));
  }

  /**
   * Marks as {@code abandoned} every running row whose recorder is gone: on this host, the
   * recording process no longer exists (checked by pid and start time, so a reused pid does
   * not fool it); on other hosts, the row is older than {@link #FOREIGN_ABANDON_AFTER}.
   *
   * @return how many rows were marked
   */
  int markAbandoned(Instant now) {
    return db.inTransaction(c -> {
      List<String> dead = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT run_id, host, recorder_pid, recorder_started_ms, predicted_at"
              + " FROM resource_prediction WHERE outcome = 'running'");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String host = rs.getString(2);
          Instant predictedAt = rs.getObject(5, OffsetDateTime.class).toInstant();
          boolean gone = self.host().equals(host)
              ? !RecorderIdentity.isAlive(rs.getLong(3), rs.getLong(4))
              : predictedAt.plus(FOREIGN_ABANDON_AFTER).isBefore(now);
          if (gone) {
            dead.add(rs.getString(1));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE resource_prediction SET outcome = 'abandoned', settled_at = ?"
              + " WHERE run_id = ? AND outcome = 'running'")) {
        for (String runId : dead) {
          ps.setObject(1, Sql.utc(now));
          ps.setString(2, runId);
          ps.addBatch();
        }
        if (!dead.isEmpty()) {
          ps.executeBatch();
        }
      }
      return dead.size();
    });
  }
}
