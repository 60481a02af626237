package io.forge.model.spool;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.Settlement;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How a launch reads a settled spool file quickly: from its first lines ({@link
 * SpoolFormat#HEAD}), one read per file, falling back to reading it in full when it was
 * written in an older form.
 */
final class SpoolHeads {

  private SpoolHeads() {}

  /**
   * The first lines of a spool file, as many as {@link SpoolFormat#HEAD} has plus one, from
   * one read: a launch reads dozens of these, and turning the whole file into a string would
   * cost it more than the read. Null when the head does not fit the first read.
   */
  private static String head(FileInputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    int length = in.readNBytes(buffer, 0, buffer.length);
    int lines = 0;
    int end = 0;
    while (end < length && lines <= SpoolFormat.HEAD.size()) {
      if (buffer[end++] == '\n') {
        lines++;
      }
    }
    if (lines <= SpoolFormat.HEAD.size() && length == buffer.length) {
      return null;
    }
    return new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
  }

  /** The settled run of a file; null while it runs or when the file cannot be read. */
  static Spool.Settled settled(File file) {
    String head;
    try (FileInputStream in = new FileInputStream(file)) {
      head = head(in);
    } catch (IOException e) {
      return null;
    }
    Map<String, String> c = head == null ? null : SpoolFormat.columns(head, SpoolFormat.HEAD);
    if (c != null && Outcome.RUNNING.dbName().equals(c.get("outcome"))) {
      return null;
    }
    Spool.Settled quick = c == null ? null : fromHead(c);
    if (quick != null) {
      return quick;
    }
    Optional<Spool.Entry> e = Spool.reread(file.toPath()); // not in the form written now: read it in full
    return e.isEmpty() || e.get().settlement() == null ? null
        : Spool.Settled.of(e.get().run(), e.get().settlement());
  }

  /** The settled run its {@link SpoolFormat#HEAD} columns describe; null when they cannot. */
  private static Spool.Settled fromHead(Map<String, String> c) {
    String runId = c.get("run_id");
    String analysisId = c.get("analysis_id");
    String outcome = c.get("outcome");
    String at = c.get("settled_at");
    if (runId == null || analysisId == null || outcome == null || at == null) {
      return null;
    }
    try {
      String cpu = c.get("actual_cpu_s");
      String rss = c.get("actual_rss_mb");
      String wall = c.get("actual_wall_s");
      Usage actual = cpu == null || rss == null || wall == null ? null
          : new Usage(Double.parseDouble(cpu), Double.parseDouble(rss), Double.parseDouble(wall));
      String limit = c.get("memory_limit_mb");
      return Spool.Settled.of(runId, analysisId, new Settlement(actual, Outcome.fromDb(outcome), null,
          Instant.ofEpochMilli(Long.parseLong(at))),
          limit == null ? null : Double.valueOf(limit));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
