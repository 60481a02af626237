package io.forge.launcher.batch;

import io.forge.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of a batch file: a command, and optionally its analysis id.
 *
 * @param line the line number (for messages)
 * @param command the command and its arguments
 * @param analysisId the analysis id, or null for the launcher's default
 */
public record BatchJob(int line, List<String> command, String analysisId) {

  /**
   * Parses a line: a JSON object {@code {"command": ["python3", "x.py"], "analysis_id": "x"}}
   * (or {@code "command": "python3 x.py"}), or a plain command split on blanks; blank lines and
   * {@code #} comments give null.
   */
  public static BatchJob parse(int line, String text) {
    String t = text.strip();
    if (t.isEmpty() || t.startsWith("#")) {
      return null;
    }
    if (t.startsWith("{")) {
      Map<String, Object> o;
      try {
        o = Json.readObject(t);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + line + ": malformed JSON");
      }
      Object c = o.get("command");
      List<String> command = new ArrayList<>();
      if (c instanceof List<?> l) {
        l.forEach(x -> command.add(String.valueOf(x)));
      } else if (c instanceof String s) {
        command.addAll(List.of(s.strip().split("\\s+")));
      }
      if (command.isEmpty() || command.get(0).isEmpty()) {
        throw new IllegalArgumentException("line " + line + ": no \"command\"");
      }
      Object id = o.get("analysis_id");
      return new BatchJob(line, command, id == null ? null : String.valueOf(id));
    }
    return new BatchJob(line, List.of(t.split("\\s+")), null);
  }
}
