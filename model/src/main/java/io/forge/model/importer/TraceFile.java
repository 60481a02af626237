package io.forge.model.importer;

import java.nio.file.Path;
import java.util.List;

/**
 * What one trace file held.
 *
 * @param file the file
 * @param runs the completed runs, ready to import
 * @param failed rows of failed or aborted tasks (their usage is partial: not imported)
 * @param malformed rows that could not be read (wrong column count, missing or bad values)
 * @param examples a few of the problems, with line numbers, for the report
 */
public record TraceFile(Path file, List<ImportedRun> runs, int failed, int malformed,
    List<String> examples) {

  /** Copies the lists. */
  public TraceFile {
    runs = List.copyOf(runs);
    examples = List.copyOf(examples);
  }
}
