package io.forge.model.importer;

import io.forge.model.Runtimes;
import io.forge.model.db.HistoryStore;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.features.ScriptFeatures;
import io.forge.model.history.NewRun;
import io.forge.model.history.Settlement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Writes imported runs into the history as settled runs (mode and source {@code import}). */
public final class Importer {

  /** Runs written per transaction. */
  static final int BATCH = 1000;

  /** Receives progress: runs written so far of the file's total. */
  @FunctionalInterface
  public interface Progress {
    /** Called after each batch. */
    void written(int done, int total);
  }

  /**
   * What importing one file did.
   *
   * @param trace what the file held
   * @param inserted runs added
   * @param duplicates runs already in the history (the same file imported before)
   */
  public record Result(TraceFile trace, int inserted, int duplicates) {}

  private Importer() {}

  /** Imports a trace's runs under {@code label}. */
  public static Result write(HistoryStore history, TraceFile trace, String label,
      Progress progress) {
    List<ImportedRun> runs = trace.runs();
    int inserted = 0;
    for (int from = 0; from < runs.size(); from += BATCH) {
      List<NewRun> rows = new ArrayList<>();
      List<Settlement> settlements = new ArrayList<>();
      for (ImportedRun r : runs.subList(from, Math.min(runs.size(), from + BATCH))) {
        Features f = new Features(Runtimes.canonical(r.runtime()), ScriptFeatures.none(),
            r.inputMb() > 0 ? 1 : 0, r.inputMb(), r.inputMb(), PriorRuns.none());
        rows.add(new NewRun(
            UUID.nameUUIDFromBytes(r.key().getBytes(StandardCharsets.UTF_8)).toString(),
            truncate(r.analysisId()), f, null, "import", r.requestedMemoryMb(), null, null,
            null, "import", label, r.key(), r.startedAt()));
        settlements.add(new Settlement(r.actual(), r.outcome(), r.exitCode(), r.endedAt()));
      }
      inserted += history.recordSettledBatch(rows, settlements);
      progress.written(Math.min(runs.size(), from + BATCH), runs.size());
    }
    return new Result(trace, inserted, runs.size() - inserted);
  }

  private static String truncate(String id) {
    return id.length() <= NewRun.MAX_ANALYSIS_ID ? id : id.substring(0, NewRun.MAX_ANALYSIS_ID);
  }
}
