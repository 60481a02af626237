package io.forge.launcher.eval;

import io.forge.model.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which an evaluation learns of its runs: each run is <em>submitted</em> (sized by
 * every policy) and <em>completes</em> (its actual becomes known to every policy). The same
 * timeline feeds Forge and every baseline, so none knows more than another.
 *
 * <ul>
 *   <li>{@code live}: events in time order — a run is submitted at its {@code predictedAt} and
 *       completes at its {@code settledAt}; a run completing at the instant another is
 *       submitted is known to it. A workflow submitting a burst of tasks sizes them all before
 *       any completes, as a live system must.
 *   <li>{@code paper}: sequential — every run completes before the next is submitted.
 * </ul>
 *
 * <p>With a hold-out label, the other labels' runs all complete before the held-out workflow's
 * first submission (their own order kept): the workflow is replayed as one Forge never saw,
 * on a history of everything else.
 */
final class Timeline {

  /**
   * One event.
   *
   * @param index the run's position in {@link #runs()}
   * @param submit true for its submission, false for its completion
   */
  record Event(int index, boolean submit) {}

  private final List<RunRecord> runs;
  private final List<Event> events;

  private Timeline(List<RunRecord> runs, List<Event> events) {
    this.runs = runs;
    this.events = events;
  }

  /** The runs, in submission order (held-out ones last). */
  List<RunRecord> runs() {
    return runs;
  }

  /** The events, in the order they happen. */
  List<Event> events() {
    return events;
  }

  /**
   * The timeline of {@code runs} under a protocol.
   *
   * @param holdoutLabel a label whose runs are replayed after all the others', or null
   */
  static Timeline of(List<RunRecord> runs, boolean sequential, String holdoutLabel) {
    List<RunRecord> ordered = new ArrayList<>(runs);
    ordered.sort(BY_SUBMISSION);
    if (holdoutLabel != null) {
      ordered = beforeHoldout(ordered, holdoutLabel);
    }
    List<Event> events = new ArrayList<>(2 * ordered.size());
    if (sequential) {
      for (int i = 0; i < ordered.size(); i++) {
        events.add(new Event(i, true));
        events.add(new Event(i, false));
      }
      return new Timeline(ordered, events);
    }
    List<Integer> byCompletion = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      byCompletion.add(i);
    }
    List<RunRecord> view = ordered;
    byCompletion.sort(Comparator.comparing((Integer i) -> completed(view.get(i)))
        .thenComparing(i -> i));
    int next = 0;
    for (int i = 0; i < ordered.size(); i++) {
      Instant submitted = ordered.get(i).predictedAt();
      // Only runs already submitted can have completed: one submitted at the same instant as
      // this one, after it in the order, is not known to it.
      while (next < byCompletion.size()
          && !completed(ordered.get(byCompletion.get(next))).isAfter(submitted)
          && byCompletion.get(next) < i) {
        events.add(new Event(byCompletion.get(next++), false));
      }
      events.add(new Event(i, true));
    }
    while (next < byCompletion.size()) {
      events.add(new Event(byCompletion.get(next++), false));
    }
    return new Timeline(ordered, events);
  }

  /**
   * The runs with every other label's moved (together, their spacing kept) to end before the
   * held-out label's first submission.
   */
  static List<RunRecord> beforeHoldout(List<RunRecord> ordered, String label) {
    List<RunRecord> others = new ArrayList<>();
    List<RunRecord> held = new ArrayList<>();
    for (RunRecord r : ordered) {
      (label.equals(r.label()) ? held : others).add(r);
    }
    if (held.isEmpty()) {
      throw new IllegalArgumentException("no measured runs with label " + label);
    }
    Instant lastKnown = Instant.MIN;
    for (RunRecord r : others) {
      lastKnown = max(lastKnown, completed(r));
    }
    List<RunRecord> moved = new ArrayList<>(others.size() + held.size());
    if (!others.isEmpty()) {
      Duration shift = Duration.between(held.get(0).predictedAt(), lastKnown).plusSeconds(1);
      for (RunRecord r : others) {
        moved.add(shifted(r, shift.isNegative() ? Duration.ZERO : shift));
      }
    }
    moved.addAll(held);
    return moved;
  }

  private static RunRecord shifted(RunRecord r, Duration back) {
    return new RunRecord(r.id(), r.runId(), r.analysisId(), r.runtime(), r.prediction(),
        r.actual(), r.predictedAt().minus(back),
        r.settledAt() == null ? null : r.settledAt().minus(back), r.mode(), r.memoryLimitMb(),
        r.timeoutSeconds(), r.mechanism(), r.exitCode(), r.outcome(), r.inputCount(),
        r.inputTotalMb(), r.inputMaxMb(), r.script(), r.command(), r.source(), r.label());
  }

  /** When a run's actual became known: its settlement, else its submission. */
  static Instant completed(RunRecord r) {
    return r.settledAt() == null ? r.predictedAt() : max(r.settledAt(), r.predictedAt());
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Submission order; ties by database id. */
  static final Comparator<RunRecord> BY_SUBMISSION =
      Comparator.comparing(RunRecord::predictedAt).thenComparing(RunRecord::id);
}
