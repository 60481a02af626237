package io.forge.launcher.web;

import io.forge.model.service.ForgeModel;
import io.forge.model.stats.StatsReport;

/**
 * The dashboard's figures of its default window, kept in memory: computed by the server's
 * ingestion after it moved runs in (requests keep the previous figures meanwhile, at most one
 * tick old), after the server's own API writes (the next request computes them, so a client
 * reads what it just wrote), and every {@link #STATS_MAX_AGE_MS} for the model and retrain
 * lines. A page load during a burst of launches reads memory, not the database they are
 * feeding (it took up to 11 s on two cores). Other windows are computed on demand.
 */
final class Figures {

  private final ForgeModel forge;
  private final int defaultWindow;

  Figures(ForgeModel forge, int defaultWindow) {
    this.forge = forge;
    this.defaultWindow = defaultWindow;
  }

  /**
   * Bumped when a request of this server changed the history (an API record or settle): the
   * next request computes the figures anew, so a client reads what it just wrote.
   */
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();

  /** Figures of one moment, and the page drawn from them once first asked for. */
  private static final class Cached {
    final long generation;
    final long computedNanos;
    final StatsReport stats;
    private volatile String page;

    Cached(long generation, long computedNanos, StatsReport stats) {
      this.generation = generation;
      this.computedNanos = computedNanos;
      this.stats = stats;
    }

    String page() {
      String p = page;
      if (p == null) {
        p = DashboardPage.render(stats);
        page = p;
      }
      return p;
    }
  }

  private volatile Cached cached;

  /** How long cached figures serve without a change before they are computed again. */
  static final long STATS_MAX_AGE_MS = 30_000;

  /** A request changed the history: figures are computed anew on the next one. */
  void changed() {
    generation.incrementAndGet();
  }

  /** The default window's figures, from memory unless they are out of date. */
  private Cached current() {
    Cached c = cached;
    if (c != null && c.generation == generation.get()
        && System.nanoTime() - c.computedNanos < STATS_MAX_AGE_MS * 1_000_000) {
      return c;
    }
    return refresh();
  }

  /** Computes the default window's figures now and caches them. */
  Cached refresh() {
    long gen = generation.get();
    long now = System.nanoTime();
    Cached c = new Cached(gen, now, forge.stats(defaultWindow));
    cached = c;
    return c;
  }

  /** The figures of the last {@code window} settled runs. */
  StatsReport stats(int window) {
    return window == defaultWindow ? current().stats : forge.stats(window);
  }

  /** The page drawn from the figures of the last {@code window} settled runs. */
  String page(int window) {
    return window == defaultWindow ? current().page() : DashboardPage.render(forge.stats(window));
  }
}
