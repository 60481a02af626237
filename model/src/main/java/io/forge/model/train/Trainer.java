package io.forge.model.train;

import io.forge.model.Target;
import io.forge.model.features.FeatureLayout;
import io.forge.model.features.Features;
import io.forge.model.predict.CompiledForest;
import io.forge.model.predict.ModelInfo;
import io.forge.model.predict.TrainedModel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import smile.base.cart.Loss;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.math.MathEx;
import smile.regression.GradientTreeBoost;

/**
 * Trains one Smile gradient-tree-boosting regressor per target on {@code ln(target)} less the
 * job's anchor ({@link FeatureLayout#anchorLog}: the analysis's mean so far, when it has one).
 *
 * <p>Intervals come from rows the model did not see: a seeded random {@value
 * #HOLDOUT_PERCENT}% of the rows is held out, a model trained on the rest predicts them, and
 * the root-mean-square of those log-scale residuals (bias included) per runtime becomes the
 * spec's "residual standard deviation for the runtime". A runtime with fewer than {@value
 * #MIN_RUNTIME_HOLDOUT} held-out rows uses the pooled figure. Below {@value #REFIT_BELOW_ROWS}
 * rows the published model is refitted on all rows (every row counts when there are few);
 * above it the hold-out model itself is published, which halves training time and makes its
 * intervals exactly those measured on its own held-out rows.
 */
public final class Trainer {

  /** Fewer settled rows than this and there is no model (cold start, see ColdStart). */
  public static final int MIN_ROWS = 30;

  /** Share of rows held out to measure residuals. */
  public static final int HOLDOUT_PERCENT = 20;

  /** Held-out rows a runtime needs for its own sigma. */
  public static final int MIN_RUNTIME_HOLDOUT = 5;

  /** Row count from which the hold-out model is published without a refit. */
  public static final int REFIT_BELOW_ROWS = 5000;

  private static final String RESPONSE = "y";

  /**
   * Boosting settings.
   *
   * @param trees boosting iterations
   * @param maxDepth maximum tree depth
   * @param maxNodes maximum leaves per tree
   * @param nodeSize minimum rows per leaf
   * @param shrinkage learning rate
   * @param subsample row share sampled per tree
   * @param seed random seed (hold-out split and subsampling), for reproducible models
   */
  public record Settings(
      int trees,
      int maxDepth,
      int maxNodes,
      int nodeSize,
      double shrinkage,
      double subsample,
      long seed) {

    /** Small, fast defaults: a few hundred shallow trees train in seconds on 10,000 rows. */
    public static Settings defaults() {
      return new Settings(150, 6, 24, 3, 0.1, 0.8, 42L);
    }
  }

  /** Receives coarse progress: which step of how many is running. */
  @FunctionalInterface
  public interface Progress {
    /** Called before each step. */
    void step(int done, int total, String what);

    /** Ignores progress. */
    static Progress none() {
      return (done, total, what) -> {};
    }
  }

  private final Settings settings;
  private final Clock clock;

  /** A trainer with the given settings and clock (the clock stamps {@code trained_at}). */
  public Trainer(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** A trainer with {@link Settings#defaults()} and the system clock. */
  public Trainer() {
    this(Settings.defaults(), Clock.systemUTC());
  }

  /**
   * Trains a model.
   *
   * @throws IllegalArgumentException with fewer than {@link #MIN_ROWS} rows
   */
  public TrainedModel train(List<TrainingRow> rows, Progress progress) {
    if (rows.size() < MIN_ROWS) {
      throw new IllegalArgumentException(
          "training needs at least " + MIN_ROWS + " settled runs, have " + rows.size());
    }
    int n = rows.size();
    double[][] x = new double[n][];
    String[] runtimes = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = FeatureLayout.vector(rows.get(i).features());
      runtimes[i] = rows.get(i).features().runtime();
    }
    int[] order = shuffled(n, settings.seed());
    int holdout = Math.max(MIN_RUNTIME_HOLDOUT, n * HOLDOUT_PERCENT / 100);
    boolean[] isHoldout = new boolean[n];
    for (int k = 0; k < holdout; k++) {
      isHoldout[order[k]] = true;
    }

    boolean refit = n < REFIT_BELOW_ROWS;
    int total = (refit ? 2 : 1) * Target.values().length;
    CompiledForest[] holdoutModels = new CompiledForest[3];
    int step = 0;
    Map<String, List<double[]>> residualsByRuntime = new HashMap<>();
    List<double[]> allResiduals = new ArrayList<>();
    Map<String, Object> holdoutMetrics = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      if (isHoldout[i]) {
        double[] r = new double[3];
        residualsByRuntime.computeIfAbsent(runtimes[i], k -> new ArrayList<>()).add(r);
        allResiduals.add(r);
      }
    }
    for (Target t : Target.values()) {
      progress.step(step++, total, "hold-out fit, " + t.jsonName());
      DataFrame train = frame(x, rows, t, isHoldout, false);
      CompiledForest model = SmileForests.compile(fit(train), FeatureLayout.size());
      holdoutModels[t.ordinal()] = model;
      double ss = 0;
      double sy = 0;
      double sy2 = 0;
      double ssRaw = 0;
      double syRaw = 0;
      double sy2Raw = 0;
      int k = 0;
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (!isHoldout[i]) {
          continue;
        }
        double actual = rows.get(i).actual().get(t);
        double yLog = t.toLog(actual);
        double predictedLog = FeatureLayout.anchorLog(rows.get(i).features(), t)
            + model.predict(x[i]);
        double residual = yLog - predictedLog;
        allResiduals.get(k++)[t.ordinal()] = residual;
        ss += residual * residual;
        sy += yLog;
        sy2 += yLog * yLog;
        double rawResidual = actual - Math.exp(predictedLog);
        ssRaw += rawResidual * rawResidual;
        syRaw += actual;
        sy2Raw += actual * actual;
        m++;
      }
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("rows", m);
      metrics.put("r2_log", r2(ss, sy, sy2, m));
      metrics.put("r2", r2(ssRaw, syRaw, sy2Raw, m));
      metrics.put("sigma_log", Math.sqrt(ss / m));
      holdoutMetrics.put(t.jsonName(), metrics);
    }

    double[] globalSigma = rms(allResiduals);
    Map<String, double[]> sigmaByRuntime = new LinkedHashMap<>();
    Map<String, Object> sigmaJson = new LinkedHashMap<>();
    for (var e : residualsByRuntime.entrySet()) {
      if (e.getValue().size() >= MIN_RUNTIME_HOLDOUT) {
        double[] s = rms(e.getValue());
        sigmaByRuntime.put(e.getKey(), s);
        sigmaJson.put(e.getKey(), List.of(s[0], s[1], s[2]));
      }
    }
    sigmaJson.put("all", List.of(globalSigma[0], globalSigma[1], globalSigma[2]));
    holdoutMetrics.put("sigma_by_runtime", sigmaJson);
    holdoutMetrics.put("refit_on_all_rows", refit);

    CompiledForest[] finals = holdoutModels;
    for (Target t : refit ? Target.values() : new Target[0]) {
      progress.step(step++, total, "final fit, " + t.jsonName());
      finals[t.ordinal()] =
          SmileForests.compile(fit(frame(x, rows, t, isHoldout, true)), FeatureLayout.size());
    }
    progress.step(total, total, "done");
    ModelInfo info =
        new ModelInfo(
            0, clock.instant(), n, FeatureLayout.VERSION, FeatureLayout.describe(),
            holdoutMetrics);
    return TrainedModel.of(finals, sigmaByRuntime, globalSigma, info);
  }

  /** Fits one Smile regressor (package-private so the flattening test can compare against it). */
  GradientTreeBoost fit(DataFrame frame) {
    MathEx.setSeed(settings.seed());
    return GradientTreeBoost.fit(
        Formula.lhs(RESPONSE),
        frame,
        Loss.ls(),
        settings.trees(),
        settings.maxDepth(),
        settings.maxNodes(),
        settings.nodeSize(),
        settings.shrinkage(),
        settings.subsample());
  }

  static DataFrame frame(
      double[][] x, List<TrainingRow> rows, Target t, boolean[] holdout, boolean all) {
    List<double[]> data = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (all || !holdout[i]) {
        double[] row = new double[x[i].length + 1];
        System.arraycopy(x[i], 0, row, 0, x[i].length);
        Features f = rows.get(i).features();
        row[x[i].length] = t.toLog(rows.get(i).actual().get(t)) - FeatureLayout.anchorLog(f, t);
        data.add(row);
      }
    }
    return DataFrame.of(data.toArray(new double[0][]), columnNames());
  }

  private static String[] columnNames() {
    List<String> names = new ArrayList<>(FeatureLayout.NAMES);
    names.add(RESPONSE);
    return names.toArray(new String[0]);
  }

  private static int[] shuffled(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    return order;
  }

  private static double[] rms(List<double[]> residuals) {
    double[] s = new double[3];
    for (double[] r : residuals) {
      for (int k = 0; k < 3; k++) {
        s[k] += r[k] * r[k];
      }
    }
    for (int k = 0; k < 3; k++) {
      s[k] = Math.sqrt(s[k] / Math.max(1, residuals.size()));
    }
    return s;
  }

  /** R² = 1 − SS_res / SS_tot from running sums; NaN when the actuals do not vary. */
  private static double r2(double ssRes, double sum, double sumSq, int m) {
    double ssTot = sumSq - sum * sum / m;
    return ssTot <= 0 ? Double.NaN : 1 - ssRes / ssTot;
  }
}
