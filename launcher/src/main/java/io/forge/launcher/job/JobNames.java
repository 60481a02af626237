package io.forge.launcher.job;

import io.forge.model.ScriptText;
import java.nio.file.Path;

/**
 * How a job is named when nobody names it: the one rule for the launcher's commands and the
 * agent's calls. A one-liner is named from its code — otherwise every {@code python3 -c} would
 * share one history, and one one-liner's peak would cap all the others.
 */
public final class JobNames {

  private JobNames() {}

  /**
   * A job's analysis id.
   *
   * @param explicit the id given ({@code --analysis-id}, an {@code analysis_id} argument)
   * @param script the script file, or null
   * @param moduleOrClass a module or main class run instead of a script ({@code python -m x}),
   *     or null
   * @param inlineCode code given as text ({@code python3 -c CODE}), or null
   * @param inlinePrefix what names inline code before its hash ({@code python3 -c}, the
   *     planned method)
   * @param fallback the id when there is none of these (the program, the planned method)
   */
  public static String analysisId(String explicit, Path script, String moduleOrClass,
      String inlineCode, String inlinePrefix, String fallback) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    if (script != null && script.getFileName() != null) {
      return script.getFileName().toString();
    }
    if (moduleOrClass != null) {
      return moduleOrClass;
    }
    if (inlineCode != null) {
      return inlinePrefix + " " + ScriptText.codeName(inlineCode);
    }
    return fallback;
  }
}
