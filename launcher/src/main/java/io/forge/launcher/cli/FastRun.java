package io.forge.launcher.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the common case — {@code [run] [options] -- CMD ARGS…} with well-formed options —
 * straight into a {@link RunCommand}, without picocli. Picocli builds its model reflectively
 * (≈ 175 ms per start here, twice a JVM hello-world) and its classes, compiled for Java 5,
 * cannot enter a CDS archive; every wrapped job would pay that. Anything else — help, an
 * unknown or malformed option, a missing {@code --} — returns empty and picocli parses the
 * whole command line, so every usage message still comes from one place.
 * {@code FastRunTest} checks option for option that both parsers read the same values.
 */
final class FastRun {

  /** Options taking a value, as declared on {@link RunCommand}. */
  static final Set<String> VALUE_OPTIONS =
      Set.of("--mode", "--analysis-id", "--runtime", "--input", "--memory-limit-mb",
          "--timeout-s", "--json-report", "--run-id");

  /** Flags, as declared on {@link RunCommand}. */
  static final Set<String> FLAGS = Set.of("--force", "--quiet");

  private FastRun() {}

  /** The parsed command, or empty when picocli must handle these arguments. */
  static Optional<RunCommand> parse(String[] args) {
    List<String> a = Arrays.asList(args);
    int dashes = a.indexOf("--");
    if (dashes < 0 || dashes == a.size() - 1) {
      return Optional.empty();
    }
    RunCommand cmd = new RunCommand();
    int i = a.isEmpty() || !a.get(0).equals("run") ? 0 : 1;
    while (i < dashes) {
      String token = a.get(i);
      String name = token;
      String value = null;
      int eq = token.indexOf('=');
      if (token.startsWith("--") && eq > 0) {
        name = token.substring(0, eq);
        value = token.substring(eq + 1);
      }
      if (FLAGS.contains(name) && value == null) {
        if (name.equals("--force")) {
          cmd.force = true;
        } else {
          cmd.quiet = true;
        }
        i++;
        continue;
      }
      if (!VALUE_OPTIONS.contains(name)) {
        return Optional.empty();
      }
      if (value == null) {
        if (i + 1 >= dashes) {
          return Optional.empty();
        }
        value = a.get(i + 1);
        i += 2;
      } else {
        i++;
      }
      if (!set(cmd, name, value)) {
        return Optional.empty();
      }
    }
    cmd.command = new ArrayList<>(a.subList(dashes + 1, a.size()));
    return Optional.of(cmd);
  }

  private static boolean set(RunCommand cmd, String name, String value) {
    try {
      switch (name) {
        case "--mode" -> cmd.mode = value;
        case "--analysis-id" -> cmd.analysisId = value;
        case "--runtime" -> cmd.runtime = value;
        case "--input" -> cmd.inputs.add(Path.of(value));
        case "--memory-limit-mb" -> cmd.memoryLimitMb = Double.valueOf(value);
        case "--timeout-s" -> cmd.timeoutS = Double.valueOf(value);
        case "--json-report" -> cmd.jsonReport = Path.of(value);
        case "--run-id" -> cmd.runId = value;
        default -> {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false; // malformed: picocli reports it
    }
  }
}
