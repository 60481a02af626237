package io.forge.launcher.cli;

import io.forge.launcher.config.Settings;
import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.StaleCgroups;
import io.forge.launcher.run.ExitCodes;
import io.forge.model.service.ForgeModel;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code forge-launch}: wrap a command ({@code run} may be omitted) or manage the predictor.
 * Exit codes live in {@link ExitCodes}; every failure ends in one line on stderr.
 */
@Command(
    name = "forge-launch",
    mixinStandardHelpOptions = true,
    version = ForgeLaunch.VERSION,
    customSynopsis = {
      "forge-launch [run] [OPTIONS] -- CMD [ARGS...]",
      "       forge-launch COMMAND [OPTIONS]"
    },
    description = "Predicts, sizes, runs, measures and records analysis jobs.",
    footer = HelpFooters.MAIN_FOOTER,
    subcommands = {
      RunCommand.class,
      PredictCommand.class,
      TrainCommand.class,
      RetrainCommand.class,
      StatsCommand.class,
      HistoryCommand.class,
      DoctorCommand.class,
      TimerCommand.class,
      ServeCommand.class,
      AttachCommand.class,
      ImportCommand.class,
      IngestCommand.class,
      EvaluateCommand.class,
      BatchCommand.class,
      SubmitCommand.class
    })
public final class ForgeLaunch implements Callable<Integer> {

  /** What {@code --version} prints, on every command. */
  static final String VERSION = "forge-launch 0.1.0";

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private Settings settings;
  private ForgeModel forge;

  /**
   * A launcher reading the given environment, printing results to {@code out} and diagnostics
   * to {@code err}.
   */
  public ForgeLaunch(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Entry point of the jar. */
  public static void main(String[] args) {
    System.exit(execute(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command line and returns the exit code (used by main and by tests). */
  public static int execute(String[] args, Map<String, String> env, PrintStream rawOut,
      PrintStream rawErr) {
    // Analysis ids, commands and trace fields come from users: no control character of theirs
    // reaches the terminal raw (a job's own output does not pass here).
    PrintStream out = PrintableStream.over(rawOut);
    PrintStream err = PrintableStream.over(rawErr);
    Optional<RunCommand> fast = FastRun.parse(args);
    if (fast.isPresent()) {
      RunCommand run = fast.get();
      run.parent = new ForgeLaunch(env, out, err);
      try {
        return run.call();
      } catch (Exception e) {
        err.println("forge: " + oneLine(e));
        return exitCodeFor(e);
      }
    }
    // Every command clears what launchers killed outright left running (see StaleCgroups).
    StaleCgroups.sweep(CgroupMounts.detect());
    CommandLine cli = new CommandLine(new ForgeLaunch(env, out, err));
    // Colours would be escape sequences, which the streams above neutralise.
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    versionEverywhere(cli);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("forge: " + oneLine(e));
          return exitCodeFor(e);
        });
    String[] effective = withDefaultRun(args);
    boolean wrapsWithoutDashes =
        effective.length > 0 && effective[0].equals("run") && !Arrays.asList(args).contains("--");
    cli.setParameterExceptionHandler(
        (e, unused) -> {
          err.println("forge: " + e.getMessage()
              + (wrapsWithoutDashes ? " (put -- before the command to wrap: forge-launch"
                  + " [options] -- CMD ARGS...)" : " (see forge-launch "
                  + (e.getCommandLine().getParent() != null
                      ? e.getCommandLine().getCommandName() + " " : "") + "--help)"));
          return ExitCodes.USAGE;
        });
    return cli.execute(effective);
  }

  /** {@code --version} of any subcommand prints the version, not an empty line. */
  private static void versionEverywhere(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.getCommandSpec().version(VERSION);
      versionEverywhere(sub);
    }
  }

  /** {@code forge-launch [options] -- CMD} means {@code forge-launch run [options] -- CMD}. */
  static String[] withDefaultRun(String[] args) {
    if (args.length == 0 || isOwnWord(args[0])) {
      return args;
    }
    List<String> withRun = new ArrayList<>(List.of("run"));
    withRun.addAll(Arrays.asList(args));
    return withRun.toArray(new String[0]);
  }

  /** The one mapping from a failure to an exit code: bad input 2, anything else 125. */
  static int exitCodeFor(Throwable e) {
    return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.FORGE_FAILURE;
  }

  /** A subcommand name (read from the {@code @Command} annotation) or a help/version flag. */
  private static boolean isOwnWord(String arg) {
    if (Set.of("help", "-h", "--help", "-V", "--version").contains(arg)) {
      return true;
    }
    for (Class<?> sub : ForgeLaunch.class.getAnnotation(Command.class).subcommands()) {
      if (sub.getAnnotation(Command.class).name().equals(arg)) {
        return true;
      }
    }
    return false;
  }

  static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // The JDK's file errors carry only the path: say what happened to it.
    if (t instanceof java.nio.file.NoSuchFileException) {
      message = "no such file or folder: " + message;
    } else if (t instanceof java.nio.file.AccessDeniedException) {
      message = "permission denied: " + message;
    } else if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
      message = "cannot use " + message;
    }
    int nl = message.indexOf('\n');
    return nl >= 0 ? message.substring(0, nl) : message;
  }

  /** No command at all: the usage, on stderr, as a usage error. */
  @Override
  public Integer call() {
    new CommandLine(this).usage(err);
    return ExitCodes.USAGE;
  }

  /** The environment the launcher reads. */
  Map<String, String> env() {
    return env;
  }

  /** Where results go (stdout for the jar; captured in tests). */
  PrintStream out() {
    return out;
  }

  /** Where diagnostics go. */
  PrintStream err() {
    return err;
  }

  /**
   * The settings, read from the environment once, on first use.
   *
   * @throws IllegalArgumentException naming a variable whose value is not valid (exit 2)
   */
  Settings settings() {
    if (settings == null) {
      settings = Settings.from(env, java.time.Clock.systemUTC());
    }
    return settings;
  }

  /** The store, opened on first use (opening reads nothing and moves nothing). */
  ForgeModel forge() {
    if (forge == null) {
      forge = ForgeModel.open(settings().store(), settings().clock());
    }
    return forge;
  }

  /**
   * The store with the launchers' spool moved in and abandoned runs marked: the explicit step
   * every command that reads the history takes first.
   */
  ForgeModel ingested() {
    ForgeModel f = forge();
    var result = f.ingest();
    if (result.implausible() > 0) {
      err.println("forge: " + result.implausible() + " spooled run(s) held figures no job can"
          + " have; recorded with their outcome, without the figures");
    }
    if (!result.unreadable().isEmpty()) {
      err.println("forge: spool files that cannot be read were left in place: "
          + result.unreadable());
    }
    return f;
  }
}
