package io.forge.model.predict;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A boosted ensemble of regression trees flattened into arrays: {@code prediction = intercept +
 * shrinkage × Σ tree(x)}, each tree walked by {@code x[feature] <= threshold ? left : right}.
 * Predicting needs no library classes at all, which keeps Smile (and its start-up) off the path
 * of every launch, and the compact binary form is what the store and the launch snapshot hold.
 * Immutable.
 */
public final class CompiledForest {

  /** Marker in {@link #feature} of a leaf node. */
  static final int LEAF = -1;

  private final double intercept;
  private final double shrinkage;
  /** Per tree, per node: split feature or {@link #LEAF}. */
  private final int[][] feature;
  /** Per tree, per node: split threshold, or the leaf's output. */
  private final double[][] value;
  /** Per tree, per node: child index when {@code x[feature] <= threshold}. */
  private final int[][] left;
  /** Per tree, per node: child index otherwise. */
  private final int[][] right;

  /** A forest from flat arrays (built by the trainer). */
  public static CompiledForest of(double intercept, double shrinkage, int[][] feature,
      double[][] value, int[][] left, int[][] right) {
    return new CompiledForest(intercept, shrinkage, feature, value, left, right);
  }

  private CompiledForest(
      double intercept, double shrinkage, int[][] feature, double[][] value, int[][] left,
      int[][] right) {
    if (feature.length != value.length || feature.length != left.length
        || feature.length != right.length) {
      throw new IllegalArgumentException("tree arrays disagree in length");
    }
    this.intercept = intercept;
    this.shrinkage = shrinkage;
    this.feature = feature;
    this.value = value;
    this.left = left;
    this.right = right;
  }

  /**
   * The ensemble's output for one feature vector. Summed in Smile's order ({@code y = b; y +=
   * shrinkage × tree(x)} per tree), so the result is bit-for-bit Smile's.
   */
  public double predict(double[] x) {
    double y = intercept;
    for (int t = 0; t < feature.length; t++) {
      int[] f = feature[t];
      double[] v = value[t];
      int node = 0;
      while (f[node] != LEAF) {
        node = x[f[node]] <= v[node] ? left[t][node] : right[t][node];
      }
      y += shrinkage * v[node];
    }
    return y;
  }

  /** Number of trees. */
  public int trees() {
    return feature.length;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeDouble(intercept);
    out.writeDouble(shrinkage);
    out.writeInt(feature.length);
    for (int t = 0; t < feature.length; t++) {
      int n = feature[t].length;
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        out.writeInt(feature[t][i]);
        out.writeDouble(value[t][i]);
        out.writeInt(left[t][i]);
        out.writeInt(right[t][i]);
      }
    }
  }

  static CompiledForest read(DataInputStream in, int featureCount) throws IOException {
    double intercept = in.readDouble();
    double shrinkage = in.readDouble();
    int trees = in.readInt();
    if (trees < 0 || trees > 100_000) {
      throw new IOException("implausible tree count " + trees);
    }
    int[][] feature = new int[trees][];
    double[][] value = new double[trees][];
    int[][] left = new int[trees][];
    int[][] right = new int[trees][];
    for (int t = 0; t < trees; t++) {
      int n = in.readInt();
      if (n < 1 || n > 1_000_000) {
        throw new IOException("implausible node count " + n);
      }
      feature[t] = new int[n];
      value[t] = new double[n];
      left[t] = new int[n];
      right[t] = new int[n];
      for (int i = 0; i < n; i++) {
        feature[t][i] = in.readInt();
        value[t][i] = in.readDouble();
        left[t][i] = in.readInt();
        right[t][i] = in.readInt();
        boolean leaf = feature[t][i] == LEAF;
        if (!leaf && (feature[t][i] < 0 || feature[t][i] >= featureCount
            || left[t][i] <= i || left[t][i] >= n || right[t][i] <= i || right[t][i] >= n)) {
          throw new IOException("corrupt tree " + t + " node " + i);
        }
      }
    }
    return new CompiledForest(intercept, shrinkage, feature, value, left, right);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompiledForest c
        && intercept == c.intercept
        && shrinkage == c.shrinkage
        && Arrays.deepEquals(feature, c.feature)
        && Arrays.deepEquals(value, c.value)
        && Arrays.deepEquals(left, c.left)
        && Arrays.deepEquals(right, c.right);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(feature) * 31 + Double.hashCode(intercept);
  }
}
