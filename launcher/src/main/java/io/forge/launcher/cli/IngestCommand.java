package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import io.forge.model.db.SpoolIngestion;
import io.forge.model.service.ForgeModel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code forge-launch ingest}: moves the launchers' spooled runs into the database now. Every
 * command that reads the history does this first; a launch that finds 100 runs spooled starts
 * it in the background ({@link #startInBackground}), at low priority, and goes on.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Move the launchers' spooled runs into the database now (every command that"
        + " reads the history does it first; a launch starts it in the background once 100"
        + " runs are spooled).",
    footer = HelpFooters.STORE_FOOTER)
final class IngestCommand implements Callable<Integer> {

  /** Marks a background ingestion as started (in the Forge home), so one burst starts one. */
  static final String PENDING = "ingest.pending";

  /** A pending mark older than this is a background ingestion that died: start another. */
  static final long PENDING_EXPIRES_MS = 60_000;

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--quiet", description = "print nothing but errors")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    Path home = parent.settings().home();
    ForgeModel forge = parent.forge();
    Optional<SpoolIngestion.Result> r;
    try {
      r = forge.ingestUnlessBusy();
    } catch (RuntimeException e) {
      Files.deleteIfExists(home.resolve(PENDING)); // failed: the next launch may try again
      throw e;
    }
    if (r.isPresent()) {
      // Ingested: a later launch may start the next one. While another process ingests, the
      // mark stays (it expires) so that a burst keeps starting no more.
      Files.deleteIfExists(home.resolve(PENDING));
    }
    if (!quiet) {
      parent.out().println(r.map(x -> "moved " + x.ingested() + " spooled run(s) in"
          + (x.abandoned() > 0 ? ", " + x.abandoned() + " abandoned" : ""))
          .orElse("another process is ingesting this home; nothing to do"));
    }
    return ExitCodes.OK;
  }

  /**
   * Starts {@code forge-launch ingest} in the background for a home whose spool has grown,
   * unless one was started in the last {@link #PENDING_EXPIRES_MS}: at the lowest CPU priority,
   * its output in {@code ingest.log}. A launch that crosses the threshold thus costs its job
   * one process start, not an ingestion; in a burst, one launch starts it and the others see
   * the mark.
   *
   * @return false when Forge does not run from its jar (tests: the caller ingests itself)
   */
  static boolean startInBackground(Path home) throws IOException {
    Path jar = Launch.ownLocation();
    if (jar == null || !Files.isRegularFile(jar)) {
      return false;
    }
    Path pending = home.resolve(PENDING);
    try {
      if (System.currentTimeMillis() - Files.getLastModifiedTime(pending).toMillis()
          < PENDING_EXPIRES_MS) {
        return true; // started by another launch
      }
      Files.deleteIfExists(pending);
    } catch (NoSuchFileException e) {
      // None pending.
    }
    try {
      Files.createFile(pending);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return true; // another launch of the burst won
    }
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/nice").canExecute()) {
      command.addAll(List.of("/usr/bin/nice", "-n", "19"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", jar.toString(), "ingest", "--quiet"));
    Launch.detach(command, home.resolve("ingest.log"));
    return true;
  }
}
