package io.forge.model.predict;

import io.forge.model.Target;
import io.forge.model.features.FeatureLayout;
import io.forge.model.features.Features;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One boosted regressor per target, trained on {@code ln(target)} less the job's anchor ({@link
 * FeatureLayout#anchorLog}) and flattened into a {@link CompiledForest}, plus the hold-out residual
 * standard deviation per runtime that sets each prediction's interval. Immutable and thread-safe.
 *
 * <p>Its payload is a small versioned binary format of this project ({@link #payloadBytes()}),
 * not Java serialisation: reading a stored model instantiates no classes named by the data, and
 * needs neither Smile nor any other library.
 */
public final class TrainedModel {

  private static final int PAYLOAD_MAGIC = 0x464f5247; // "FORG"
  private static final int PAYLOAD_VERSION = 1;

  private final CompiledForest[] forests;
  private final Map<String, double[]> sigmaByRuntime;
  private final double[] globalSigma;
  private final ModelInfo info;

  private TrainedModel(CompiledForest[] forests, Map<String, double[]> sigmaByRuntime,
      double[] globalSigma, ModelInfo info) {
    if (forests.length != Target.values().length || globalSigma.length != 3) {
      throw new IllegalArgumentException("one forest and one sigma per target expected");
    }
    this.forests = forests.clone();
    this.sigmaByRuntime = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : sigmaByRuntime.entrySet()) {
      this.sigmaByRuntime.put(e.getKey(), e.getValue().clone());
    }
    this.globalSigma = globalSigma.clone();
    this.info = Objects.requireNonNull(info, "info");
  }

  /**
   * A model from its forests (in {@link Target} order) and log-scale residual sigmas.
   *
   * @param forests one per target
   * @param sigmaByRuntime sigmas (cpu, rss, wall) of runtimes with enough hold-out rows
   * @param globalSigma pooled sigmas for every other runtime
   * @param info metadata
   */
  public static TrainedModel of(CompiledForest[] forests, Map<String, double[]> sigmaByRuntime,
      double[] globalSigma, ModelInfo info) {
    return new TrainedModel(forests, sigmaByRuntime, globalSigma, info);
  }

  /** Stored metadata. */
  public ModelInfo info() {
    return info;
  }

  /** This model under the version number the store gave it. */
  public TrainedModel withVersion(int version) {
    return new TrainedModel(forests, sigmaByRuntime, globalSigma, info.withVersion(version));
  }

  /** Whether this model was trained on the feature layout the running code uses. */
  public boolean matchesCurrentLayout() {
    return info.layoutVersion() == FeatureLayout.VERSION
        && info.featureLayout().equals(FeatureLayout.describe());
  }

  /** Log-scale residual sigmas (cpu, rss, wall) used for a runtime's intervals. */
  public double[] sigmas(String runtime) {
    return sigmaByRuntime.getOrDefault(runtime, globalSigma).clone();
  }

  /** The log-scale point predictions (cpu, rss, wall) for a job: its anchors plus the forests'. */
  public double[] predictLog(Features features) {
    double[] x = FeatureLayout.vector(features);
    double[] y = new double[3];
    for (Target t : Target.values()) {
      y[t.ordinal()] = FeatureLayout.anchorLog(features, t) + forests[t.ordinal()].predict(x);
    }
    return y;
  }

  /** Predicts the three targets of a job. */
  public Prediction predict(Features features) {
    double[] logPrediction = predictLog(features);
    double[] sigma = sigmas(features.runtime());
    Interval[] intervals = new Interval[3];
    for (Target t : Target.values()) {
      intervals[t.ordinal()] = Interval.aroundLog(logPrediction[t.ordinal()], sigma[t.ordinal()]);
    }
    return new Prediction(
        Math.exp(logPrediction[0]),
        Math.exp(logPrediction[1]),
        Math.exp(logPrediction[2]),
        Confidence.of(sigma, features.prior().count()),
        intervals[0],
        intervals[1],
        intervals[2],
        info.version(),
        Basis.MODEL);
  }

  /** The forests and sigmas in the payload format (the metadata is stored in columns). */
  public byte[] payloadBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(PAYLOAD_MAGIC);
      out.writeInt(PAYLOAD_VERSION);
      out.writeInt(FeatureLayout.size());
      for (CompiledForest f : forests) {
        f.write(out);
      }
      out.writeInt(sigmaByRuntime.size());
      for (var e : sigmaByRuntime.entrySet()) {
        out.writeUTF(e.getKey());
        for (double s : e.getValue()) {
          out.writeDouble(s);
        }
      }
      for (double s : globalSigma) {
        out.writeDouble(s);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write model payload: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /**
   * Restores a model stored by {@link #payloadBytes()}.
   *
   * @throws IllegalStateException when the bytes are not a model this code can read
   */
  public static TrainedModel fromPayload(byte[] bytes, ModelInfo info) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != PAYLOAD_MAGIC || in.readInt() != PAYLOAD_VERSION) {
        throw new IOException("not a Forge model payload (or of another version)");
      }
      int featureCount = in.readInt();
      CompiledForest[] forests = new CompiledForest[3];
      for (int t = 0; t < 3; t++) {
        forests[t] = CompiledForest.read(in, featureCount);
      }
      int runtimes = in.readInt();
      if (runtimes < 0 || runtimes > 1000) {
        throw new IOException("implausible runtime count " + runtimes);
      }
      Map<String, double[]> sigmas = new LinkedHashMap<>();
      for (int r = 0; r < runtimes; r++) {
        sigmas.put(in.readUTF(), new double[] {in.readDouble(), in.readDouble(), in.readDouble()});
      }
      double[] global = {in.readDouble(), in.readDouble(), in.readDouble()};
      return new TrainedModel(forests, sigmas, global, info);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "stored model v" + info.version() + " cannot be read (" + e.getMessage()
              + "); retrain with `forge-launch train`",
          e);
    }
  }
}
