package io.forge.agent.it;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;

/**
 * A host program that launches jobs with Apache Commons Exec's {@code DefaultExecutor} and
 * knows nothing of Forge. Arguments: a repeat count, then the command to run.
 */
public final class CommonsExecProgram {

  private CommonsExecProgram() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int repeat = Integer.parseInt(args[0]);
    for (int i = 0; i < repeat; i++) {
      CommandLine command = new CommandLine(args[1]);
      for (int k = 2; k < args.length; k++) {
        command.addArgument(args[k], false);
      }
      int exit = DefaultExecutor.builder().get().execute(command);
      System.out.println("commons-exec exit=" + exit);
    }
  }
}
