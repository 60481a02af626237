package io.forge.launcher.job;

import io.forge.model.Runtimes;
import java.util.List;
import java.util.Set;

/**
 * How each interpreter's command line names what it runs — the one table job identification
 * reads ({@link CommandParser}): its script (the first bare word, {@code -jar X}, {@code
 * --file=X}), its inline code ({@code -c}, {@code -e}), a module or main class instead of a
 * script ({@code -m x}, Java's first bare word), and the options whose value is not the script.
 *
 * @param runtime the canonical runtime ({@link Runtimes#KNOWN})
 * @param inlineFlags options followed by code to run
 * @param moduleFlag the option followed by a module to run, or null
 * @param scriptFlag the option followed by the script, or null ({@code -jar})
 * @param fileOption the prefix of an option holding the script, or null ({@code --file=})
 * @param valueOptions options followed by a value
 * @param plusOptions whether {@code +x} words are options too (shells)
 * @param bareWordIsClass whether the first bare word is a main class rather than a script
 */
record Interpreters(String runtime, Set<String> inlineFlags, String moduleFlag,
    String scriptFlag, String fileOption, Set<String> valueOptions, boolean plusOptions,
    boolean bareWordIsClass) {

  private static final Interpreters PYTHON = new Interpreters("python", Set.of("-c"), "-m",
      null, null, Set.of("-W", "-X", "--check-hash-based-pycs"), false, false);
  private static final Interpreters R = new Interpreters("r", Set.of("-e"), null, null,
      "--file=", Set.of(), false, false);
  private static final Interpreters SHELL = new Interpreters("shell", Set.of("-c"), null, null,
      null, Set.of("-o", "-O", "+O"), true, false);
  private static final Interpreters PERL = new Interpreters("perl", Set.of("-e", "-E"), null,
      null, null, Set.of(), false, false);
  private static final Interpreters JAVA = new Interpreters("jvm", Set.of(), null, "-jar", null,
      Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path", "--add-opens",
          "--add-exports", "--add-modules"), false, true);

  private static final List<Interpreters> TABLE = List.of(PYTHON, R, SHELL, PERL);

  /**
   * The entry of a program ({@code python3.11}, {@code Rscript}, {@code bash}, {@code java}),
   * or null for a program that is not an interpreter Forge knows.
   */
  static Interpreters of(String program) {
    if (program.equals("java")) {
      return JAVA;
    }
    String runtime = Runtimes.canonical(program);
    for (Interpreters i : TABLE) {
      if (i.runtime.equals(runtime)) {
        return i;
      }
    }
    return null;
  }

  /**
   * What one command line names.
   *
   * @param scriptIndex the argument holding the script, or -1
   * @param inlineCode the inline code, or null
   * @param inlineFlag the option that gave it, or null
   * @param moduleOrClass a module or main class run instead of a script, or null
   */
  record Target(int scriptIndex, String inlineCode, String inlineFlag, String moduleOrClass) {}

  /** Reads what {@code command} (whose first word is this interpreter) runs. */
  Target read(List<String> command) {
    int n = command.size();
    for (int i = 1; i < n; i++) {
      String a = command.get(i);
      boolean hasNext = i + 1 < n;
      if (inlineFlags.contains(a) && hasNext) {
        return new Target(-1, command.get(i + 1), a, null);
      }
      if (a.equals(moduleFlag) && hasNext) {
        return new Target(-1, null, null, command.get(i + 1));
      }
      if (a.equals(scriptFlag) && hasNext) {
        return new Target(i + 1, null, null, null);
      }
      if (fileOption != null && a.startsWith(fileOption)) {
        return new Target(i, null, null, null);
      }
      if (valueOptions.contains(a)) {
        i++;
      } else if (!a.startsWith("-") && !(plusOptions && a.startsWith("+"))) {
        return bareWordIsClass ? new Target(-1, null, null, a) : new Target(i, null, null, null);
      }
    }
    return new Target(-1, null, null, null);
  }
}
