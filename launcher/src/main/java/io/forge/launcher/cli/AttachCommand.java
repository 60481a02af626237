package io.forge.launcher.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch attach PID}: load the agent into a running JVM. */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = "Load forge-agent.jar into a running JVM (already-loaded classes are"
        + " retransformed), as -javaagent would at start-up.",
    footer = ExitCodes.HELP_FOOTER)
final class AttachCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Parameters(index = "0", paramLabel = "PID", description = "the JVM's process id")
  long pid;

  @Option(names = "--agent", paramLabel = "JAR",
      description = "forge-agent.jar (default: beside forge-launch.jar)")
  Path agent;

  @Option(names = "--agent-args", paramLabel = "K=V,...",
      description = "agent arguments, as after -javaagent:forge-agent.jar= (see the README)")
  String agentArgs = "";

  @Override
  public Integer call() {
    Path jar = agent != null ? agent : besideThisJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("agent jar " + jar + " not found; pass --agent");
    }
    if (ProcessHandle.of(pid).isEmpty()) {
      throw new IllegalArgumentException("no process " + pid);
    }
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        vm.loadAgent(jar.toAbsolutePath().toString(), agentArgs);
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException e) {
      throw new IllegalStateException("cannot attach to " + pid + " (is it a JVM of this user"
          + " with attach enabled?): " + e.getMessage(), e);
    } catch (AgentLoadException | IOException e) {
      throw new IllegalStateException("attached to " + pid + " but the agent did not load: "
          + e.getMessage(), e);
    } catch (com.sun.tools.attach.AgentInitializationException e) {
      throw new IllegalStateException("the agent failed to start in " + pid + ": "
          + e.getMessage(), e);
    }
    parent.err().println("forge: agent loaded into JVM " + pid);
    return ExitCodes.OK;
  }

  private static Path besideThisJar() {
    try {
      Path self = Path.of(ForgeLaunch.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      return self.resolveSibling("forge-agent.jar");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("forge-agent.jar");
    }
  }
}
