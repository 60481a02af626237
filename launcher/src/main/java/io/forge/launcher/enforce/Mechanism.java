package io.forge.launcher.enforce;

import java.util.Locale;

/** What enforces a job's memory cap, as reported by {@code doctor} and recorded per run. */
public enum Mechanism {
  /** A child cgroup with the v2 memory controller ({@code memory.max}). */
  CGROUP_V2,
  /** A child of the v1 memory cgroup ({@code memory.limit_in_bytes}). */
  CGROUP_V1,
  /** No writable memory cgroup: a poller kills the tree when its summed RSS passes the cap. */
  WATCHDOG,
  /** Nothing enforces a cap: none was set and no cgroup counts the job's memory. */
  NONE,
  /** The planned method's own executor, handed the limits (the agent's calls). */
  EXECUTOR,
  /** The API's client, handed the limits. */
  EXTERNAL;

  /** The recorded name ({@code cgroup-v2}, {@code watchdog}, …). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
