package io.forge.model.features;

import io.forge.model.Job;

/** Job + its analysis's prior runs → {@link Features}. Stateless. */
public final class FeatureExtractor {

  private FeatureExtractor() {}

  /** Extracts the features of a job, given what is known of its analysis's earlier runs. */
  public static Features extract(Job job, PriorRuns prior) {
    String runtime = job.runtime();
    return new Features(
        runtime,
        ScriptScanner.scan(job.script(), runtime),
        job.inputCount(),
        job.inputTotalMb(),
        job.inputMaxMb(),
        prior);
  }
}
