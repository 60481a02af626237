package io.forge.examples.executor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small job executor of the kind Forge's agent plans without any change to its code: its
 * {@code run_analysis} really launches the script with the runtime, under the limits it is
 * given (the memory limit is handed to the job as {@code FORGE_EXAMPLE_MEMORY_LIMIT_MB}, the
 * timeout is enforced), and reports what it observed.
 *
 * <p>Usage: {@code ExampleExecutor RUNTIME SCRIPT MEMORY_LIMIT_MB TIMEOUT_S [INPUT…]}
 * (system properties: {@code forge.example.repeat=N} runs the analysis N times, {@code
 * forge.example.await=FILE} waits for FILE to exist first); prints
 * one line {@code limits memory=… timeout=…} with the limits {@code run_analysis} received and
 * one line {@code result …}, then exits with the job's exit code.
 */
public final class ExampleExecutor {

  /**
   * What a run returned, like the spec's {@code RuntimeResult}.
   *
   * @param exitCode the job's exit code (124 when the timeout stopped it)
   * @param wallSeconds elapsed seconds
   * @param memoryLimitMb the limit the job ran under
   * @param timeoutSeconds the timeout the job ran under
   */
  public record RuntimeResult(int exitCode, double wallSeconds, int memoryLimitMb,
      int timeoutSeconds) {}

  /** Runs one analysis; the method the agent plans by default. */
  public RuntimeResult run_analysis(String script, String runtime, List<String> inputs,
      int memoryLimitMb, int timeoutSeconds) throws IOException, InterruptedException {
    System.out.println("limits memory=" + memoryLimitMb + " timeout=" + timeoutSeconds);
    List<String> command = new ArrayList<>(List.of(runtime, script));
    command.addAll(inputs);
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("FORGE_EXAMPLE_MEMORY_LIMIT_MB", Integer.toString(memoryLimitMb));
    long start = System.nanoTime();
    Process p = pb.start();
    int exit;
    if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      exit = p.exitValue();
    } else {
      p.destroyForcibly().waitFor();
      exit = 124;
    }
    return new RuntimeResult(exit, (System.nanoTime() - start) / 1e9, memoryLimitMb,
        timeoutSeconds);
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: ExampleExecutor RUNTIME SCRIPT MEMORY_LIMIT_MB TIMEOUT_S [INPUT...]");
      System.exit(2);
    }
    List<String> inputs = List.of(args).subList(4, args.length);
    int repeat = Integer.getInteger("forge.example.repeat", 1);
    String await = System.getProperty("forge.example.await");
    if (await != null) {
      // Stand by until told to go: lets a test attach an agent to this running JVM first.
      System.out.println("waiting");
      while (!java.nio.file.Files.exists(java.nio.file.Path.of(await))) {
        Thread.sleep(50);
      }
    }
    RuntimeResult last = null;
    for (int i = 0; i < repeat; i++) {
      last = new ExampleExecutor().run_analysis(args[1], args[0], inputs,
          Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      System.out.println("result exit=" + last.exitCode() + " wall=" + last.wallSeconds());
    }
    System.exit(last.exitCode());
  }
}
