package io.forge.launcher.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.forge.launcher.run.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch attach PID}: load the agent into a running JVM. */
@Command(name = "attach", mixinStandardHelpOptions = true,
    description = "Load forge-agent.jar into a running JVM (already-loaded classes are"
        + " retransformed), as -javaagent would at start-up.",
    footer = HelpFooters.PLAIN_FOOTER)
final class AttachCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Parameters(index = "0", paramLabel = "PID", description = "the JVM's process id")
  long pid;

  @Option(names = "--agent", paramLabel = "JAR",
      description = "forge-agent.jar (default: beside forge-launch.jar, else where the build"
          + " puts it, agent/target/)")
  Path agent;

  @Option(names = "--agent-args", paramLabel = "K=V,...",
      description = "agent arguments, as after -javaagent:forge-agent.jar= (see the README)")
  String agentArgs = "";

  @Override
  public Integer call() {
    Path jar = agent;
    if (jar == null) {
      List<Path> candidates = defaultAgentJars();
      jar = candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
          new IllegalArgumentException("no forge-agent.jar at " + candidates
              + "; pass --agent JAR"));
    } else if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("agent jar " + jar + " not found");
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

  /**
   * Where the agent is looked for: beside this jar (an installed copy), then where the build
   * puts it ({@code agent/target/} beside {@code launcher/target/}).
   */
  static List<Path> defaultAgentJars() {
    Path self = Launch.ownLocation();
    if (self == null) {
      return List.of(Path.of("forge-agent.jar"));
    }
    Path beside = self.resolveSibling("forge-agent.jar");
    Path launcherModule = self.getParent() == null ? null : self.getParent().getParent();
    if (launcherModule == null || launcherModule.getParent() == null) {
      return List.of(beside);
    }
    return List.of(beside, launcherModule.resolveSibling("agent").resolve("target")
        .resolve("forge-agent.jar"));
  }
}
