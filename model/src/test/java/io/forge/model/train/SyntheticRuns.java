package io.forge.model.train;

import io.forge.model.ScriptText;
import io.forge.model.Usage;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import io.forge.model.features.ScriptFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated runs with a known relationship: peak RSS grows linearly with input size at a
 * per-library rate, CPU with input size times a per-library cost, wall = CPU / workers; 5%
 * multiplicative noise on every target.
 */
public final class SyntheticRuns {

  /** Library, RSS base MB, RSS MB per input MB, CPU s per input MB. */
  private record Lib(String name, String runtime, double rssBase, double rssPerMb, double cpuPerMb) {}

  private static final List<Lib> LIBS =
      List.of(
          new Lib("numpy", "python", 60, 1.5, 0.02),
          new Lib("pandas", "python", 90, 3.0, 0.05),
          new Lib("scanpy", "python", 400, 6.0, 0.4),
          new Lib("torch", "python", 1200, 2.0, 1.5),
          new Lib("seurat", "r", 700, 5.0, 0.3),
          new Lib("data_table", "r", 120, 1.2, 0.03));

  private SyntheticRuns() {}

  /** {@code n} rows from a seeded generator. */
  public static List<TrainingRow> generate(int n, long seed) {
    Random random = new Random(seed);
    List<TrainingRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Lib lib = LIBS.get(random.nextInt(LIBS.size()));
      double inputMb = Math.exp(Math.log(1) + random.nextDouble() * Math.log(4000));
      int workers = 1 + random.nextInt(4);
      double rss = (lib.rssBase + lib.rssPerMb * inputMb) * noise(random);
      double cpu = (0.5 + lib.cpuPerMb * inputMb) * noise(random);
      double wall = (cpu / workers + 0.3) * noise(random);
      ScriptFeatures script =
          new ScriptFeatures(
              Map.of(lib.name, 1 + random.nextInt(6)), workers > 1 ? 1 : 0, workers,
              800 + random.nextInt(4000), 30 + random.nextInt(100), ScriptText.Status.OK);
      Features f = new Features(lib.runtime, script, 1, inputMb, inputMb, PriorRuns.none());
      rows.add(new TrainingRow(f, new Usage(cpu, rss, wall)));
    }
    return rows;
  }

  private static double noise(Random random) {
    return Math.exp(random.nextGaussian() * 0.05);
  }
}
