package io.forge.agent;

import io.forge.launcher.config.Settings;
import io.forge.launcher.policy.Mode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's configuration: agent arguments ({@code -javaagent:forge-agent.jar=k=v,k=v}),
 * optionally on top of a properties file ({@code config=/path/forge-agent.properties}); the
 * arguments win. Keys:
 *
 * <ul>
 *   <li>{@code methods} — {@code ;}-separated {@code class#method} patterns ({@code *} at the end
 *       of either part matches a prefix); default: {@code run_analysis} and {@code runAnalysis}
 *       on any non-JDK class
 *   <li>{@code mode} — {@code dry-run} (default, or {@code FORGE_MODE}), {@code enforce},
 *       {@code deterministic}
 *   <li>{@code home} — the Forge home whose spool and snapshot are used (default {@code
 *       FORGE_HOME}, else {@code ~/.forge})
 *   <li>{@code processes} — {@code true} also plans every process started through {@code
 *       ProcessBuilder} (Commons Exec, zt-exec, {@code Runtime.exec}…), as the launcher plans a
 *       wrapped command; default {@code false}
 *   <li>{@code map.<role>} — the parameter or property that holds a role when its name is not
 *       one of the defaults; roles: {@code script}, {@code runtime}, {@code inputs}, {@code
 *       analysis_id}, {@code memory_limit_mb}, {@code timeout_seconds}
 * </ul>
 *
 * @param methods method patterns, empty for the default
 * @param mode the mode, or null to use {@code FORGE_MODE} (else dry-run)
 * @param home the Forge home, or null to use {@code FORGE_HOME} (else {@code ~/.forge})
 * @param mappings explicit role → name mappings
 * @param processes whether to plan every {@code ProcessBuilder.start}
 */
record AgentConfig(List<String> methods, Mode mode, Path home, Map<String, String> mappings,
    boolean processes) {

  /**
   * The agent's settings: the environment's ({@code FORGE_*}), with this configuration's
   * {@code mode} and {@code home} over them.
   */
  Settings settings(Map<String, String> env, Clock clock) {
    Settings s = Settings.from(env, clock);
    s = mode == null ? s : s.withDefaultMode(mode);
    return home == null ? s : s.withHome(home);
  }

  static AgentConfig parse(String agentArgs) {
    Properties p = new Properties();
    Map<String, String> args = new HashMap<>();
    if (agentArgs != null && !agentArgs.isBlank()) {
      for (String kv : agentArgs.split(",")) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("agent argument '" + kv + "' is not key=value");
        }
        args.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    if (args.containsKey("config")) {
      try (Reader r = Files.newBufferedReader(Path.of(args.get("config")))) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read agent config " + args.get("config")
            + ": " + e.getMessage(), e);
      }
    }
    args.forEach(p::setProperty);
    List<String> methods = new ArrayList<>();
    for (String m : p.getProperty("methods", "").split(";")) {
      if (!m.isBlank()) {
        if (!m.contains("#")) {
          throw new IllegalArgumentException("method pattern '" + m + "' is not class#method");
        }
        methods.add(m.trim());
      }
    }
    String home = p.getProperty("home");
    String mode = p.getProperty("mode");
    Map<String, String> mappings = new HashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("map.")) {
        mappings.put(key.substring(4).toLowerCase(Locale.ROOT), p.getProperty(key));
      }
    }
    String processes = p.getProperty("processes", "false").trim();
    if (!processes.equals("true") && !processes.equals("false")) {
      throw new IllegalArgumentException("processes must be true or false, got " + processes);
    }
    return new AgentConfig(List.copyOf(methods),
        mode == null ? null : Mode.parse(mode), home == null ? null : Path.of(home),
        Map.copyOf(mappings), processes.equals("true"));
  }
}
