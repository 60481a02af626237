package io.forge.model.history;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Which process on which host recorded a run, so that a later check can tell whether that
 * process is still alive (and so whether its unsettled row is abandoned).
 *
 * @param host host name
 * @param pid process id
 * @param startedMs process start time, epoch ms (0 when unknown)
 */
public record RecorderIdentity(String host, long pid, long startedMs) {

  /** This process (computed once: reading it costs several {@code /proc} reads). */
  public static RecorderIdentity current() {
    return Self.IDENTITY;
  }

  private static final class Self {
    static final RecorderIdentity IDENTITY = new RecorderIdentity(hostName(),
        ProcessHandle.current().pid(), startMillis(ProcessHandle.current()));
  }

  static String hostName() {
    try {
      // Cheap and exact on Linux; InetAddress may wait on a DNS lookup.
      try (FileInputStream in = new FileInputStream("/proc/sys/kernel/hostname")) {
        String kernel = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!kernel.isEmpty()) {
          return kernel;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through to the portable ways.
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  static long startMillis(ProcessHandle handle) {
    Optional<Instant> start = handle.info().startInstant();
    return start.isPresent() ? start.get().toEpochMilli() : 0;
  }

  /** Whether the process that recorded a row still runs (same pid and, if known, start). */
  public static boolean isAlive(long pid, long startedMs) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    long actual = startMillis(handle.get());
    // Start times are reported at clock-tick resolution; a reused pid started much later.
    return startedMs == 0 || actual == 0 || Math.abs(actual - startedMs) < 2000;
  }
}
