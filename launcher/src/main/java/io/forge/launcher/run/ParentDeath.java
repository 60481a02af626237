package io.forge.launcher.run;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A job's first process dies with its launcher, even one killed with {@code SIGKILL}: the
 * command is started through util-linux's {@code setpriv --pdeathsig KILL}, which sets the
 * parent-death signal and execs the job in place (same pid, nothing else changes). The signal
 * fires when the thread that started the job ends, so only a caller that waits on its job in
 * the thread that started it (the launcher, a batch worker) may use this — never the agent,
 * whose executors start processes from threads that come and go. Whatever the job left
 * running besides is killed by the next Forge command's sweep of stale cgroups. Without a
 * {@code setpriv} that has {@code --pdeathsig} (util-linux before 2.33, not Linux, a minimal
 * image) the command runs as it is.
 */
public final class ParentDeath {

  private static final String SETPRIV = find();

  /** Whether {@link #SETPRIV} takes {@code --pdeathsig}; null until first asked. */
  private static volatile Boolean supported;

  private ParentDeath() {}

  private static String find() {
    for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
      File f = new File(dir, "setpriv");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /**
   * Whether jobs get the parent-death signal on this host: a {@code setpriv} that runs {@code
   * --pdeathsig KILL -- true} (an older one rejects the option, and a job started through it
   * would never run). Asked once per process, a few milliseconds.
   */
  public static boolean available() {
    Boolean s = supported;
    if (s == null) {
      s = SETPRIV != null && probe();
      supported = s;
    }
    return s;
  }

  private static boolean probe() {
    try {
      Process p = new ProcessBuilder(SETPRIV, "--pdeathsig", "KILL", "--", "true")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The command, started so that its first process is killed when this thread ends. */
  public static List<String> guard(List<String> command) {
    if (!available()) {
      return command;
    }
    List<String> guarded = new ArrayList<>(command.size() + 4);
    guarded.add(SETPRIV);
    guarded.add("--pdeathsig");
    guarded.add("KILL");
    guarded.add("--");
    guarded.addAll(command);
    return guarded;
  }
}
