package io.forge.hosts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A multi-threaded executor: runs one analysis per input at the same time, each on its own
 * worker thread, through a {@code run_analysis} that starts the job's process on that thread.
 * Arguments: {@code RUNTIME SCRIPT INPUT...}; prints one {@code done exit=N} per analysis.
 */
public final class ConcurrentExecutor {

  /** Runs one analysis; the method the agent plans by default. */
  public int run_analysis(String script, String runtime, List<String> inputs, int memoryLimitMb,
      int timeoutSeconds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(runtime, script));
    command.addAll(inputs);
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    List<String> inputs = List.of(args).subList(2, args.length);
    ExecutorService pool = Executors.newFixedThreadPool(inputs.size());
    List<Future<Integer>> results = new ArrayList<>();
    for (String input : inputs) {
      results.add(pool.submit(() -> new ConcurrentExecutor().run_analysis(args[1], args[0],
          List.of(input), 4000, 600)));
    }
    for (Future<Integer> r : results) {
      System.out.println("done exit=" + r.get());
    }
    pool.shutdown();
  }
}
