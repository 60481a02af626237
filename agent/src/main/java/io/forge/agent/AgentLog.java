package io.forge.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only output: one line on stderr per kind of problem, once per JVM. The host's
 * own logging is never touched.
 */
final class AgentLog {

  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  /** Logs {@code message} unless a message of this {@code kind} was logged before. */
  static void once(String kind, String message) {
    if (SEEN.add(kind)) {
      System.err.println("forge-agent: " + message);
    }
  }

  /** Logs a failure inside Forge once per kind; the host's call proceeds unchanged. */
  static void failure(String kind, Throwable t) {
    once(kind, kind + " failed, calls proceed unplanned: " + t);
  }
}
