package io.forge.agent;

import io.forge.launcher.job.CommandParser;
import io.forge.launcher.job.JobNames;
import io.forge.model.Job;
import io.forge.model.Runtimes;
import io.forge.model.ScriptText;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A planned call's job, from the roles its arguments hold ({@link CallArguments}): its script
 * (a path, read and scanned, or the script's text), runtime, inputs and analysis id, named by
 * the launcher's rules ({@link JobNames}).
 */
final class CallJobs {

  private CallJobs() {}

  /** The job a call runs. */
  static Job of(Method method, CallArguments found) throws IOException {
    Object scriptValue = found.value("script").orElse(null);
    Path scriptPath = path(scriptValue);
    if (scriptPath != null && !Files.isRegularFile(scriptPath)) {
      scriptPath = null; // not a file: the value is the script's text (inline code)
    }
    ScriptText script = scriptPath != null ? ScriptText.read(scriptPath)
        : scriptValue != null ? ScriptText.of(String.valueOf(scriptValue)) : ScriptText.absent();
    String runtime = found.value("runtime").map(String::valueOf)
        .orElse(scriptPath == null ? "other"
            : Runtimes.ofScriptName(scriptPath.getFileName().toString()));
    String byMethod = method.getDeclaringClass().getSimpleName() + "#" + method.getName();
    String analysisId = JobNames.analysisId(found.value("analysis_id").map(String::valueOf)
        .orElse(null), scriptPath, null, script.scanned() ? script.text() : null, byMethod,
        byMethod);
    return new Job(analysisId, runtime, script, sizes(found.value("inputs").orElse(null)));
  }

  static Path path(Object v) {
    if (v instanceof Path p) {
      return p;
    }
    if (v instanceof File f) {
      return f.toPath();
    }
    if (v instanceof String s && !s.isBlank() && s.length() < 4096 && !s.contains("\n")) {
      try {
        return Path.of(s);
      } catch (RuntimeException e) {
        return null; // not a path: inline code
      }
    }
    return null;
  }

  /** Input sizes, MB: numbers as given, paths (files or folders) sized like the launcher's. */
  static List<Double> sizes(Object inputs) {
    List<Object> items = new ArrayList<>();
    if (inputs instanceof Collection<?> c) {
      items.addAll(c);
    } else if (inputs != null && inputs.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(inputs); i++) {
        items.add(Array.get(inputs, i));
      }
    } else if (inputs != null) {
      items.add(inputs);
    }
    List<Double> sizes = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
        sizes.add(n.doubleValue());
      } else {
        Path p = path(o);
        if (p != null && Files.exists(p)) {
          sizes.add(CommandParser.sizeMb(p));
        }
      }
    }
    return sizes;
  }
}
