package io.forge.model.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeakCalibrationTest {

  /**
   * Analyses whose peaks wander (log-normal around a per-analysis level): sized online at the
   * calibrated cap before each run, the share of runs over their cap stays near the target.
   */
  @Test
  void capsFailAboutAsOftenAsTheTargetOnDataTheyWereNotFittedTo() {
    Random random = new Random(7);
    for (double target : new double[] {0.02, 0.1}) {
      PeakCalibration c = new PeakCalibration();
      int sized = 0;
      int over = 0;
      for (int a = 0; a < 300; a++) {
        String id = "wf" + a + ":step";
        double level = 50 + random.nextDouble() * 5000;
        double spread = 0.05 + random.nextDouble() * 0.3;
        double largest = 0;
        for (int r = 0; r < 30; r++) {
          double peak = level * Math.exp(spread * random.nextGaussian());
          if (r > 0 && a >= 100) { // the first 100 analyses only teach
            OptionalDouble m = c.logMargin(r, target);
            if (m.isPresent()) {
              sized++;
              over += peak > largest * Math.exp(m.getAsDouble()) ? 1 : 0;
            }
          }
          c.completed(id, peak);
          largest = Math.max(largest, peak);
        }
      }
      double rate = (double) over / sized;
      assertTrue(sized > 5000, "sized " + sized);
      assertTrue(rate <= target * 1.5 && rate >= target * 0.2,
          "failure rate " + rate + " at target " + target);
    }
  }

  @Test
  void aThinBucketBorrowsFromTheBucketOfFewerRunsAndAnEmptyHistoryPromisesNothing() {
    PeakCalibration c = new PeakCalibration();
    assertTrue(c.logMargin(5, 0.02).isEmpty(), "no scores: no promise");
    for (int a = 0; a < 60; a++) {
      c.completed("a" + a, 100);
      c.completed("a" + a, 100 * (1 + a / 600.0)); // one score each in the 1-run bucket
    }
    assertEquals(60, c.scores(PeakCalibration.bucket(1)));
    assertEquals(0, c.scores(PeakCalibration.bucket(10)));
    assertEquals(c.logMargin(1, 0.02), c.logMargin(10, 0.02), "borrowed from one-run analyses");
    assertTrue(c.logMargin(0, 0.02).isEmpty(), "no tool scores: first runs have no margin");
    assertThrows(IllegalArgumentException.class, () -> c.logMargin(3, 0));
  }

  @Test
  void theConformalQuantileNeedsEnoughScoresAndLargerScoresWinOnlyWhenTheyWasteLess() {
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      scores.add(i / 100.0);
    }
    assertTrue(ScorePool.of(scores, 100).margin(0.02).isEmpty(), "48 scores cannot promise 2 %");
    scores.add(0.48);
    assertEquals(0.48, ScorePool.of(scores, 100).margin(0.02).getAsDouble(), 1e-12);
    // 90 runs at the anchor, 10 just above it: failing those 10 costs more than covering them.
    List<Double> near = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      near.add(i < 90 ? 0.0 : Math.log(1.05));
    }
    assertEquals(Math.log(1.05), ScorePool.of(near, 100).margin(0.2).getAsDouble(), 1e-12,
        "a 20 % target would allow failing them, but the retries waste more");
    // ... and far above it: covering them wastes more than failing and retrying them.
    List<Double> far = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      far.add(i < 90 ? 0.0 : Math.log(1.3));
    }
    assertEquals(0.0, ScorePool.of(far, 100).margin(0.2).getAsDouble(), 1e-12);
    double[] farPeaks = new double[100];
    for (int i = 0; i < 100; i++) {
      farPeaks[i] = Math.exp(far.get(i));
    }
    assertEquals(0.17, ScorePool.expectedWastage(farPeaks, 1.0), 1e-9,
        "10 of 100 charged 1 for the failure and 2 - 1.3 for the retry");
    ScorePool window = ScorePool.of(List.of(0.5, 0.1, 0.3), 2);
    assertEquals(2, window.size(), "the oldest score is dropped when full");
    assertEquals(List.of(0.1, 0.3), toList(window.inArrivalOrder()));
  }

  /** The pool's search agrees with a direct computation for every candidate cap. */
  @Test
  void theSearchMatchesTheDirectExpectedWastage() {
    Random random = new Random(3);
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      scores.add(0.3 * random.nextGaussian());
    }
    ScorePool pool = ScorePool.of(scores, 1000);
    double[] peaks = new double[scores.size()];
    for (int i = 0; i < peaks.length; i++) {
      peaks[i] = Math.exp(scores.get(i));
    }
    double chosen = pool.margin(0.05).getAsDouble();
    List<Double> sorted = new ArrayList<>(scores);
    java.util.Collections.sort(sorted);
    double quantile = sorted.get((int) Math.ceil(501 * 0.95) - 1);
    assertTrue(chosen >= quantile, "never below the conformal quantile");
    assertTrue(ScorePool.expectedWastage(peaks, Math.exp(chosen))
        <= ScorePool.expectedWastage(peaks, Math.exp(quantile)) + 1e-12);
  }

  /** The one score of the bucket of analyses with {@code measuredRuns} runs. */
  private static double onlyScore(PeakCalibration c, int measuredRuns) {
    assertEquals(1, c.scores(PeakCalibration.bucket(measuredRuns)));
    return c.logMargin(measuredRuns, 0.5).getAsDouble();
  }

  private static List<Double> toList(Iterable<Double> values) {
    List<Double> l = new ArrayList<>();
    values.forEach(l::add);
    return l;
  }

  @Test
  void killsRaiseTheAnchorWithoutScoringAndToolsTeachFirstRuns() {
    PeakCalibration c = new PeakCalibration();
    c.killed("x:SORT", 300);
    c.completed("x:SORT", 200);
    assertEquals(0, c.scores(PeakCalibration.TOOL) + c.scores(PeakCalibration.bucket(1)),
        "a kill is no measured run: the first measurement is not scored");
    c.killed("x:SORT", 300); // killed again since that measured run: the cap is the anchor
    c.completed("x:SORT", 280);
    assertEquals(1, c.scores(PeakCalibration.bucket(1)));
    assertEquals(1, c.logMargin(1, 0.5).isPresent() ? 1 : 0);
    assertEquals(Math.log(280.0 / 300), c.logMargin(1, 0.5).getAsDouble(), 1e-12,
        "scored against the kill's 300 MB, not the 200 MB measured");
    c.completed("x:SORT", 250);
    assertEquals(Math.log(250.0 / 280), onlyScore(c, 2), 1e-12,
        "a measured run since: the kill no longer anchors, as for the cap");
    c.completed("y:sort", 250);
    assertEquals(1, c.scores(PeakCalibration.TOOL), "y's first run scored against x's tool");
    assertEquals(280.0, c.toolPeakMb("sort").getAsDouble(), 1e-9);
    assertEquals("sort", PeakCalibration.toolOf("NFCORE_X:X:SORT"));
    assertNull(PeakCalibration.toolOf("wf:"));
    assertFalse(c.toolPeakMb("other").isPresent());
  }

  @Test
  void whatALaunchReadsIsWhatWasWritten() throws Exception {
    PeakCalibration c = new PeakCalibration();
    for (int a = 0; a < 80; a++) {
      c.completed("w" + a + ":t", 100 + a);
      c.completed("w" + a + ":t", 90 + a);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    c.write(new DataOutputStream(bytes));
    PeakCalibration read = PeakCalibration.read(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    for (int runs = 0; runs < 12; runs++) {
      assertEquals(c.logMargin(runs, 0.02), read.logMargin(runs, 0.02));
      assertEquals(c.scores(PeakCalibration.bucket(runs)),
          read.scores(PeakCalibration.bucket(runs)));
    }
    assertEquals(c.toolPeakMb("t"), read.toolPeakMb("t"));
    read.coldPrediction(10, 20);
    read.coldPrediction(10, 5);
    assertEquals(2, read.scores(PeakCalibration.MODEL), "a loaded calibration still learns");
    for (int i = 0; i < 100; i++) {
      read.coldPrediction(10, 10);
    }
    assertEquals(Math.log(2), read.modelMargin(0.01).getAsDouble(), 1e-12);
  }
}
