package io.forge.model.train;

import io.forge.model.predict.CompiledForest;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import smile.base.cart.InternalNode;
import smile.base.cart.LeafNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.base.cart.RegressionNode;
import smile.regression.GradientTreeBoost;
import smile.regression.RegressionTree;

/**
 * Flattens a fitted Smile {@link GradientTreeBoost} into a {@link CompiledForest}. Smile 3.1.1
 * exposes the trees and their nodes but not a split's threshold, the intercept or the
 * shrinkage, so those three are read reflectively from its fields ({@code OrdinalNode.value},
 * {@code GradientTreeBoost.b}, {@code GradientTreeBoost.shrinkage}). The Smile version is
 * pinned, and {@code CompiledForestTest} checks on thousands of rows that the flattened forest
 * predicts exactly what Smile predicts, so a changed Smile fails the build, not the user.
 */
final class SmileForests {

  private SmileForests() {}

  static CompiledForest compile(GradientTreeBoost model, int featureCount) {
    try {
      double intercept = readDouble(GradientTreeBoost.class, model, "b");
      double shrinkage = readDouble(GradientTreeBoost.class, model, "shrinkage");
      RegressionTree[] trees = model.trees();
      int[][] feature = new int[trees.length][];
      double[][] value = new double[trees.length][];
      int[][] left = new int[trees.length][];
      int[][] right = new int[trees.length][];
      for (int t = 0; t < trees.length; t++) {
        List<Node> nodes = new ArrayList<>();
        collect(trees[t].root(), nodes);
        int n = nodes.size();
        feature[t] = new int[n];
        value[t] = new double[n];
        left[t] = new int[n];
        right[t] = new int[n];
        for (int i = 0; i < n; i++) {
          Node node = nodes.get(i);
          if (node instanceof LeafNode) {
            if (!(node instanceof RegressionNode leaf)) {
              throw new IllegalStateException("unexpected leaf " + node.getClass());
            }
            feature[t][i] = -1;
            value[t][i] = leaf.output();
          } else if (node instanceof OrdinalNode split) {
            if (split.feature() >= featureCount) {
              throw new IllegalStateException("split on column " + split.feature()
                  + " beyond the " + featureCount + " features");
            }
            feature[t][i] = split.feature();
            value[t][i] = readDouble(OrdinalNode.class, split, "value");
            left[t][i] = indexOf(nodes, split.trueChild());
            right[t][i] = indexOf(nodes, split.falseChild());
          } else {
            throw new IllegalStateException("unsupported split " + node.getClass()
                + " (all features are numeric)");
          }
        }
      }
      return CompiledForest.of(intercept, shrinkage, feature, value, left, right);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this Smile version's trees cannot be flattened: " + e, e);
    }
  }

  /** Pre-order: a node always precedes its children, so child indexes exceed the parent's. */
  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node instanceof InternalNode internal) {
      collect(internal.trueChild(), out);
      collect(internal.falseChild(), out);
    }
  }

  private static int indexOf(List<Node> nodes, Node child) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) == child) {
        return i;
      }
    }
    throw new IllegalStateException("child node not in tree");
  }

  private static double readDouble(Class<?> type, Object target, String name)
      throws ReflectiveOperationException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f.getDouble(target);
  }
}
