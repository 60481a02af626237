package io.forge.model.predict;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The newest {@code capacity} scores of one {@link PeakCalibration} bucket — log-ratios of a
 * run's peak to its anchor — kept sorted, with the margin each target failure rate gives
 * worked out once per change. Not thread-safe: its calibration locks around it.
 */
final class ScorePool {

  /** Candidate margins tried above the conformal quantile when minimising wastage. */
  private static final int CANDIDATES = 24;

  private final int capacity;
  private final ArrayDeque<Double> arrival = new ArrayDeque<>();
  private double[] sorted = new double[16];
  /** e^score of each sorted score: the run's peak in anchors. */
  private double[] peaks = new double[16];
  private int size;
  private final Map<Double, OptionalDouble> margins = new HashMap<>();

  ScorePool(int capacity) {
    this.capacity = capacity;
  }

  /** A pool of the given scores (any order). */
  static ScorePool of(Iterable<Double> scores, int capacity) {
    ScorePool pool = new ScorePool(capacity);
    for (double s : scores) {
      pool.add(s);
    }
    return pool;
  }

  int size() {
    return size;
  }

  /** The scores in arrival order, oldest first. */
  Iterable<Double> inArrivalOrder() {
    return arrival;
  }

  /**
   * An empty pool's scores, oldest first, loaded at once (one sort, not one insertion each: a
   * launch reads a full calibration from its snapshot).
   */
  void load(double[] oldestFirst) {
    if (size != 0 || oldestFirst.length > capacity) {
      throw new IllegalStateException("load fills an empty pool within its capacity");
    }
    sorted = oldestFirst.clone();
    Arrays.sort(sorted);
    peaks = new double[Math.max(16, sorted.length)];
    for (int i = 0; i < sorted.length; i++) {
      arrival.addLast(oldestFirst[i]);
      peaks[i] = Math.exp(sorted[i]);
    }
    sorted = Arrays.copyOf(sorted, peaks.length);
    size = oldestFirst.length;
    margins.clear();
  }

  /** Adds a score, dropping the oldest when full. */
  void add(double score) {
    if (size == capacity) {
      remove(Arrays.binarySearch(sorted, 0, size, arrival.removeFirst()));
    }
    arrival.addLast(score);
    if (size == sorted.length) {
      sorted = Arrays.copyOf(sorted, 2 * size);
      peaks = Arrays.copyOf(peaks, 2 * size);
    }
    int at = Arrays.binarySearch(sorted, 0, size, score);
    at = at < 0 ? -at - 1 : at;
    System.arraycopy(sorted, at, sorted, at + 1, size - at);
    System.arraycopy(peaks, at, peaks, at + 1, size - at);
    sorted[at] = score;
    peaks[at] = Math.exp(score);
    size++;
    margins.clear();
  }

  private void remove(int at) {
    System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
    System.arraycopy(peaks, at + 1, peaks, at, size - at - 1);
    size--;
  }

  /**
   * The conformal quantile of the scores at 1 − target (the ⌈(m + 1)(1 − target)⌉-th smallest
   * of m), or the larger score with less expected wastage under the retry rule; empty when the
   * pool is too small to promise the target.
   */
  OptionalDouble margin(double target) {
    OptionalDouble known = margins.get(target);
    if (known == null) {
      known = compute(target);
      margins.put(target, known);
    }
    return known;
  }

  private OptionalDouble compute(double target) {
    int k = (int) Math.ceil((size + 1) * (1 - target));
    if (size == 0 || k > size) {
      return OptionalDouble.empty();
    }
    double[] below = new double[size + 1]; // below[i]: the sum of the i smallest peaks
    for (int i = 0; i < size; i++) {
      below[i + 1] = below[i] + peaks[i];
    }
    int best = k - 1;
    double bestCost = wastage(best, below);
    int step = Math.max(1, (size - k) / CANDIDATES);
    for (int i = k; i < size; i += step) {
      double cost = wastage(i, below);
      if (cost < bestCost) {
        best = i;
        bestCost = cost;
      }
    }
    return OptionalDouble.of(sorted[best]);
  }

  /**
   * Mean wastage, in anchors, of a cap at the {@code at}-th peak: {@code cap − peak} for the
   * runs it fits (all up to {@code at} and any equal above), else the failed attempt in full
   * and a retry at twice the cap, until it fits.
   */
  private double wastage(int at, double[] below) {
    double cap = peaks[at];
    int fits = at + 1;
    while (fits < size && peaks[fits] <= cap) {
      fits++;
    }
    double sum = cap * fits - below[fits];
    for (int i = fits; i < size; i++) {
      double c = cap;
      while (c < peaks[i]) {
        sum += c;
        c *= 2;
      }
      sum += c - peaks[i];
    }
    return sum / size;
  }

  /** {@link #wastage} of any cap over these peaks: what the tests check the search against. */
  static double expectedWastage(double[] peaks, double cap) {
    double sum = 0;
    for (double peak : peaks) {
      double c = cap;
      while (c < peak) {
        sum += c;
        c *= 2;
      }
      sum += c - peak;
    }
    return sum / peaks.length;
  }
}
