package io.forge.model.importer;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import java.time.Instant;

/**
 * One run read from a trace: what it used and what it was given.
 *
 * @param key unique key of the run within its source (makes re-imports idempotent)
 * @param analysisId the process or rule
 * @param runtime the workflow engine ({@code nextflow}, {@code snakemake}) or as given
 * @param inputMb input size, MB
 * @param actual measured usage
 * @param requestedMemoryMb the memory the workflow requested for it, null when unknown
 * @param startedAt when it started (its prediction time)
 * @param endedAt when it ended
 * @param outcome how it ended
 * @param exitCode its exit code, null when unknown
 */
public record ImportedRun(String key, String analysisId, String runtime, double inputMb,
    Usage actual, Double requestedMemoryMb, Instant startedAt, Instant endedAt, Outcome outcome,
    Integer exitCode) {}
