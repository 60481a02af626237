package io.forge.model.predict;

import io.forge.model.Plausible;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How far a run's peak memory lands above what its analysis has already shown, learned online
 * from the user's own history, so that a memory cap can be set at a target first-attempt
 * failure rate (split conformal prediction over log-ratios).
 *
 * <p>Every measured run, when it completes, adds one <em>score</em>: {@code ln(peak / anchor)},
 * where the anchor is the largest peak its analysis had shown before it, or a kill's cap when the
 * analysis was killed since its last measured run — the same anchor a cap is set from ({@link
 * Predictor.Earlier#largestPeakMb}). Scores are kept per <em>bucket</em> of how many measured runs
 * the analysis had then ({@code 1, 2, 3–4, 5–9, 10+}: an analysis with one earlier run surprises
 * more than one with fifty). An analysis's first run adds a score to the {@link #TOOL} bucket
 * instead when another analysis of the same tool ({@link #toolOf}: the last {@code :}-segment of
 * the id, e.g. {@code SAMTOOLS_SORT}) had run: the anchor is then that tool's largest peak. A run a
 * trained model predicted before its analysis had completed any run adds {@code ln(peak /
 * predicted)} to the {@link #MODEL} bucket ({@link #coldPrediction}): how far to trust a model on
 * analyses it has never seen. The newest {@value #MAX_SCORES} scores of each bucket are kept.
 *
 * <p>{@link #logMargin} turns a bucket's scores into the margin of a cap ({@link ScorePool}):
 * the conformal quantile at {@code 1 − target} (the ⌈(m + 1)(1 − target)⌉-th smallest of m
 * scores, which under exchangeability fails at most {@code target} of the time), then, among
 * that margin and the larger scores, the one with the least expected wastage under the retry
 * rule (a failed attempt is charged in full, then retried at double the cap). Thread-safe: the
 * evaluation reads it while it replays, a launch reads a frozen copy from the snapshot.
 */
public final class PeakCalibration {

  /** Bucket of first runs sized from their tool. */
  public static final int TOOL = 0;

  /** Smallest earlier-run count of each bucket after {@link #TOOL}. */
  private static final int[] BUCKET_FROM = {1, 2, 3, 5, 10};

  /** Bucket of a model's predictions for analyses with no completed run. */
  public static final int MODEL = BUCKET_FROM.length + 1;

  /** Buckets, {@link #TOOL} and {@link #MODEL} included. */
  public static final int BUCKETS = MODEL + 1;

  /** Scores kept per bucket (the newest). */
  public static final int MAX_SCORES = 4096;

  private final Object lock = new Object();
  private final ScorePool[] pools = new ScorePool[BUCKETS];
  private final Map<String, Anchor> analyses = new HashMap<>();
  /** Largest log peak per tool. */
  private final Map<String, Double> toolPeaks = new HashMap<>();

  /** What one analysis has shown so far, as {@link Predictor.Earlier} tells a prediction. */
  private static final class Anchor {
    private int measured;
    private double largestLog = Double.NEGATIVE_INFINITY;
    private double killedLog = Double.NEGATIVE_INFINITY; // since the last measured run

    double log() {
      return Math.max(largestLog, killedLog);
    }
  }

  /** An empty calibration; feed it with {@link #completed} and {@link #killed}. */
  public PeakCalibration() {
    for (int b = 0; b < BUCKETS; b++) {
      pools[b] = new ScorePool(MAX_SCORES);
    }
  }

  /** The tool of an analysis: the last {@code :}-separated segment of its id, lower-cased. */
  public static String toolOf(String analysisId) {
    if (analysisId == null) {
      return null;
    }
    int colon = analysisId.lastIndexOf(':');
    String tool = analysisId.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
    return tool.isEmpty() ? null : tool;
  }

  /** The bucket of an analysis with {@code measuredRuns} earlier measured runs. */
  public static int bucket(int measuredRuns) {
    if (measuredRuns <= 0) {
      return TOOL;
    }
    int b = BUCKET_FROM.length;
    while (measuredRuns < BUCKET_FROM[b - 1]) {
      b--;
    }
    return b;
  }

  /** A measured run of {@code analysisId} completed with this peak. */
  public void completed(String analysisId, double peakMb) {
    if (analysisId == null || !(peakMb > 0) || !(peakMb <= Plausible.MAX_MEMORY_MB)) {
      return;
    }
    double y = Math.log(peakMb);
    String tool = toolOf(analysisId);
    synchronized (lock) {
      Anchor a = analyses.get(analysisId);
      if (a == null) {
        a = new Anchor();
        analyses.put(analysisId, a);
      }
      if (a.measured > 0) {
        pools[bucket(a.measured)].add(y - a.log());
      } else if (a.killedLog == Double.NEGATIVE_INFINITY && tool != null
          && toolPeaks.containsKey(tool)) {
        pools[TOOL].add(y - toolPeaks.get(tool));
      }
      a.measured++;
      a.largestLog = Math.max(a.largestLog, y);
      a.killedLog = Double.NEGATIVE_INFINITY;
      if (tool != null) {
        toolPeaks.merge(tool, y, Math::max);
      }
    }
  }

  /**
   * A run of {@code analysisId} was killed at a memory cap: its peak was at least the cap. Until
   * the analysis's next measured run the cap is its anchor; it adds no score (a censored figure
   * is no measurement).
   */
  public void killed(String analysisId, double capMb) {
    if (analysisId == null || !(capMb > 0) || !Double.isFinite(capMb)) {
      return;
    }
    double y = Math.log(capMb);
    synchronized (lock) {
      Anchor a = analyses.computeIfAbsent(analysisId, k -> new Anchor());
      a.killedLog = Math.max(a.killedLog, y);
    }
  }

  /**
   * A run that a trained model predicted at {@code predictedMb} before its analysis had any
   * completed run peaked at {@code peakMb}.
   */
  public void coldPrediction(double predictedMb, double peakMb) {
    if (predictedMb > 0 && peakMb > 0 && Double.isFinite(predictedMb) && Double.isFinite(peakMb)) {
      synchronized (lock) {
        pools[MODEL].add(Math.log(peakMb / predictedMb));
      }
    }
  }

  /** The log-margin over a model's prediction for an analysis with no run, at a target rate. */
  public OptionalDouble modelMargin(double targetFailureRate) {
    checkTarget(targetFailureRate);
    synchronized (lock) {
      return pools[MODEL].margin(targetFailureRate);
    }
  }

  private static void checkTarget(double targetFailureRate) {
    if (!(targetFailureRate > 0 && targetFailureRate < 1)) {
      throw new IllegalArgumentException("target failure rate must be in (0, 1), got "
          + targetFailureRate);
    }
  }

  /** The largest peak the runs of {@code tool} have had, MB (empty when none has run). */
  public OptionalDouble toolPeakMb(String tool) {
    synchronized (lock) {
      Double t = tool == null ? null : toolPeaks.get(tool);
      return t == null ? OptionalDouble.empty() : OptionalDouble.of(Math.exp(t));
    }
  }

  /** Scores held in a bucket. */
  public int scores(int bucket) {
    synchronized (lock) {
      return pools[bucket].size();
    }
  }

  /**
   * The log-margin over the anchor for an analysis with {@code measuredRuns} earlier measured
   * runs ({@link #TOOL}'s scores when it has none), at a target first-attempt failure rate;
   * empty when no bucket holds enough scores to promise that rate. A bucket too thin for the
   * target borrows from the bucket of fewer runs (whose margins are wider, so the promise holds).
   */
  public OptionalDouble logMargin(int measuredRuns, double targetFailureRate) {
    checkTarget(targetFailureRate);
    synchronized (lock) {
      int b = bucket(measuredRuns);
      while (true) {
        OptionalDouble m = pools[b].margin(targetFailureRate);
        if (m.isPresent() || b <= 1) {
          return m;
        }
        b--;
      }
    }
  }

  /** Writes the scores and the tool peaks (what a launch needs; not the per-analysis anchors). */
  public void write(DataOutputStream out) throws IOException {
    synchronized (lock) {
      out.writeInt(BUCKETS);
      for (ScorePool pool : pools) {
        out.writeInt(pool.size());
        for (double s : pool.inArrivalOrder()) {
          out.writeDouble(s);
        }
      }
      out.writeInt(toolPeaks.size());
      for (Map.Entry<String, Double> e : toolPeaks.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeDouble(e.getValue());
      }
    }
  }

  /** Reads what {@link #write} wrote. */
  public static PeakCalibration read(DataInputStream in) throws IOException {
    PeakCalibration c = new PeakCalibration();
    if (in.readInt() != BUCKETS) {
      throw new IOException("calibration of another bucket layout");
    }
    for (int b = 0; b < BUCKETS; b++) {
      int n = in.readInt();
      if (n < 0 || n > MAX_SCORES) {
        throw new IOException("implausible score count " + n);
      }
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = in.readDouble();
      }
      c.pools[b].load(scores);
    }
    int tools = in.readInt();
    if (tools < 0 || tools > 10_000_000) {
      throw new IOException("implausible tool count " + tools);
    }
    for (int i = 0; i < tools; i++) {
      c.toolPeaks.put(in.readUTF(), in.readDouble());
    }
    return c;
  }
}
