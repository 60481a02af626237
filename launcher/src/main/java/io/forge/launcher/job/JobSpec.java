package io.forge.launcher.job;

import io.forge.model.Job;
import java.nio.file.Path;
import java.util.List;

/**
 * A wrapped command understood as a job.
 *
 * @param job the model's view (analysis, runtime, script text, input sizes)
 * @param command the command to run, unchanged
 * @param script the script file, null when the command has none
 * @param inputs the input files and folders that were sized
 */
public record JobSpec(Job job, List<String> command, Path script, List<Path> inputs) {

  /** Copies the lists. */
  public JobSpec {
    command = List.copyOf(command);
    inputs = List.copyOf(inputs);
  }
}
