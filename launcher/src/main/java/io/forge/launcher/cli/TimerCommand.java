package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code forge-launch timer install}: the retrain policy's check every hour as systemd units
 * (the spec's weekly retrain is the policy's floor).
 */
@Command(name = "timer", mixinStandardHelpOptions = true,
    description = "Manage the retrain timer.",
    subcommands = TimerCommand.Install.class,
    footer = HelpFooters.PLAIN_FOOTER)
final class TimerCommand implements Runnable {

  @Override
  public void run() {
    throw new IllegalArgumentException("missing subcommand; usage: forge-launch timer install");
  }

  /** Writes {@code forge-predictor-retrain.service} and {@code .timer}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = {"Write the retrain units.",
          "forge-predictor-retrain.service runs `retrain --if-ready`; its .timer starts it"
              + " every hour, and the policy retrains when the model is a week old or"
              + " retraining pays (the history grew by a quarter, or 10 new analyses ran)."},
      footer = HelpFooters.PLAIN_FOOTER)
  static final class Install implements Callable<Integer> {

    @ParentCommand private TimerCommand timer;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "where to write the units (default: /etc/systemd/system as root,"
            + " else ~/.config/systemd/user)")
    Path dir;

    @Option(names = "--jar", paramLabel = "FILE",
        description = "the forge-launch.jar the service runs (default: this jar)")
    Path jar;

    @Override
    public Integer call() throws IOException {
      ForgeLaunch parent = timer.parent;
      Path target = dir != null ? dir : defaultDir();
      Path jarPath = (jar != null ? jar : thisJar()).toAbsolutePath();
      String home = parent.env().getOrDefault("FORGE_HOME",
          Path.of(System.getProperty("user.home"), ".forge").toString());
      Files.createDirectories(target);
      Path service = target.resolve("forge-predictor-retrain.service");
      Path unit = target.resolve("forge-predictor-retrain.timer");
      String dbUrl = parent.env().get("FORGE_DB_URL");
      Files.writeString(service, serviceText(javaBinary(), jarPath, home, dbUrl));
      Files.writeString(unit, timerText());
      parent.out().println("wrote " + service);
      parent.out().println("wrote " + unit);
      parent.out().println("enable with: systemctl " + (isRoot() ? "" : "--user ")
          + "daemon-reload && systemctl " + (isRoot() ? "" : "--user ")
          + "enable --now forge-predictor-retrain.timer");
      return ExitCodes.OK;
    }

    static String serviceText(Path java, Path jar, String home, String dbUrl) {
      return "[Unit]\n"
          + "Description=Forge: retrain the resource predictor when the policy says so\n"
          + "\n"
          + "[Service]\n"
          + "Type=oneshot\n"
          + "Environment=\"FORGE_HOME=" + home + "\"\n"
          + (dbUrl == null ? "" : "Environment=\"FORGE_DB_URL=" + dbUrl + "\"\n")
          + "ExecStart=" + java + " -jar " + jar + " retrain --if-ready\n";
    }

    static String timerText() {
      return "[Unit]\n"
          + "Description=Forge: hourly check whether retraining the predictor pays\n"
          + "\n"
          + "[Timer]\n"
          + "OnCalendar=hourly\n"
          + "Persistent=true\n"
          + "Unit=forge-predictor-retrain.service\n"
          + "\n"
          + "[Install]\n"
          + "WantedBy=timers.target\n";
    }

    private static boolean isRoot() {
      return "root".equals(System.getProperty("user.name"));
    }

    private static Path defaultDir() {
      return isRoot() ? Path.of("/etc/systemd/system")
          : Path.of(System.getProperty("user.home"), ".config", "systemd", "user");
    }

    private static Path javaBinary() {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Path thisJar() {
      Path self = Launch.ownLocation();
      if (self == null) {
        throw new IllegalArgumentException("cannot tell where forge-launch.jar is; pass --jar");
      }
      return self;
    }
  }

  @ParentCommand ForgeLaunch parent;
}
