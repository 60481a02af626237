package io.forge.model.predict;

import io.forge.model.Target;
import io.forge.model.features.FeatureLayout;
import io.forge.model.features.Features;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.regression.GradientTreeBoost;

/**
 * One gradient-boosting regressor per target, trained on {@code ln(target)}, plus the hold-out
 * residual standard deviation per runtime that sets each prediction's interval. Immutable and
 * thread-safe.
 */
public final class TrainedModel {

  /** The serialised part: regressors, the tuple schema and the residual sigmas. */
  static final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;
    final GradientTreeBoost[] regressors;
    final StructType schema;
    final HashMap<String, double[]> sigmaByRuntime;
    final double[] globalSigma;

    Payload(
        GradientTreeBoost[] regressors,
        StructType schema,
        Map<String, double[]> sigmaByRuntime,
        double[] globalSigma) {
      this.regressors = regressors.clone();
      this.schema = schema;
      this.sigmaByRuntime = new HashMap<>(sigmaByRuntime);
      this.globalSigma = globalSigma.clone();
    }
  }

  /**
   * Only Smile's, the JDK's and this package's classes may appear in a stored payload: a
   * database row must never be able to instantiate arbitrary classes. Package roots are read
   * from the classes themselves so the filter still holds after the agent relocates them.
   */
  private static final java.io.ObjectInputFilter PAYLOAD_FILTER =
      java.io.ObjectInputFilter.Config.createFilter(
          rootPackage(GradientTreeBoost.class, 2) + ".**;java.**;"
              + TrainedModel.class.getPackageName() + ".*;!*");

  private final Payload payload;
  private final ModelInfo info;

  private static String rootPackage(Class<?> type, int levelsUp) {
    String pkg = type.getPackageName();
    for (int i = 1; i < levelsUp; i++) {
      pkg = pkg.substring(0, pkg.lastIndexOf('.'));
    }
    return pkg;
  }

  TrainedModel(Payload payload, ModelInfo info) {
    this.payload = Objects.requireNonNull(payload, "payload");
    this.info = Objects.requireNonNull(info, "info");
    if (payload.regressors.length != Target.values().length) {
      throw new IllegalArgumentException("one regressor per target expected");
    }
  }

  /**
   * Builds a model from fitted regressors (in {@link Target} order) and log-scale residual
   * sigmas; used by the trainer.
   */
  public static TrainedModel of(
      GradientTreeBoost[] regressors,
      StructType schema,
      Map<String, double[]> sigmaByRuntime,
      double[] globalSigma,
      ModelInfo info) {
    return new TrainedModel(new Payload(regressors, schema, sigmaByRuntime, globalSigma), info);
  }

  /** Stored metadata. */
  public ModelInfo info() {
    return info;
  }

  /** This model under the version number the store gave it. */
  public TrainedModel withVersion(int version) {
    return new TrainedModel(payload, info.withVersion(version));
  }

  /** Whether this model was trained on the feature layout the running code uses. */
  public boolean matchesCurrentLayout() {
    return info.layoutVersion() == FeatureLayout.VERSION
        && info.featureLayout().equals(FeatureLayout.describe());
  }

  /** Log-scale residual sigmas (cpu, rss, wall) used for a runtime's intervals. */
  public double[] sigmas(String runtime) {
    return payload.sigmaByRuntime.getOrDefault(runtime, payload.globalSigma).clone();
  }

  /** Predicts the three targets of a job. */
  public Prediction predict(Features features) {
    double[] x = FeatureLayout.vector(features);
    double[] row = new double[x.length + 1];
    System.arraycopy(x, 0, row, 0, x.length);
    Tuple tuple = Tuple.of(row, payload.schema);
    double[] sigma = sigmas(features.runtime());
    double[] point = new double[3];
    Interval[] intervals = new Interval[3];
    for (Target t : Target.values()) {
      double logPrediction = payload.regressors[t.ordinal()].predict(tuple);
      point[t.ordinal()] = Math.exp(logPrediction);
      intervals[t.ordinal()] = Interval.aroundLog(logPrediction, sigma[t.ordinal()]);
    }
    return new Prediction(
        point[0],
        point[1],
        point[2],
        Confidence.of(sigma, features.prior().count()),
        intervals[0],
        intervals[1],
        intervals[2],
        info.version(),
        Basis.MODEL);
  }

  /** Java-serialises the regressors and sigmas (the metadata is stored in columns). */
  public byte[] payloadBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(payload);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise model: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /**
   * Restores a model stored by {@link #payloadBytes()}.
   *
   * @throws IllegalStateException when the bytes are not a model this code can read
   */
  public static TrainedModel fromPayload(byte[] bytes, ModelInfo info) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(PAYLOAD_FILTER);
      return new TrainedModel((Payload) in.readObject(), info);
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new IllegalStateException(
          "stored model v" + info.version() + " cannot be read (" + e + "); retrain with "
              + "`forge-launch train`",
          e);
    }
  }
}
