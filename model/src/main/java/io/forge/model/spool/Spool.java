package io.forge.model.spool;

import io.forge.model.Outcome;
import io.forge.model.Usage;
import io.forge.model.history.NewRun;
import io.forge.model.history.RecorderIdentity;
import io.forge.model.history.RunColumns;
import io.forge.model.history.RunRecorder;
import io.forge.model.history.Settlement;
import io.forge.model.history.StoreException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The launcher's write-ahead record: one small file per run under {@code $FORGE_HOME/spool},
 * written before the job starts and rewritten with its settlement after it ends. Each write
 * goes to a temporary file renamed into place, so a reader never sees half a record and a
 * killed writer loses nothing it wrote (the kernel keeps it); it is not forced to the disk,
 * which would cost milliseconds per write and only matters if the machine itself loses power.
 * Writing a file costs a millisecond where opening the database costs hundreds, and
 * launches never wait on each other. Every command that reads the database first moves the
 * spooled runs into {@code resource_prediction} (its ingestion step), so {@code history},
 * {@code stats}, training and the dashboard always see them; a run whose recorder died before
 * settling is ingested as {@code abandoned}. The file holds the run's {@link RunColumns}, under
 * the table's own column names.
 */
public final class Spool implements RunRecorder {

  private static final String SUFFIX = ".run";

  private final Path dir;

  /** The spool of a Forge home. */
  public Spool(Path home) {
    this.dir = home.toAbsolutePath().normalize().resolve("spool");
  }

  /** The spool folder. */
  public Path dir() {
    return dir;
  }

  /**
   * One spooled run.
   *
   * @param run the run as recorded
   * @param settlement how it ended, null while it runs
   * @param recorder the process that recorded it
   * @param file the spool file
   */
  public record Entry(NewRun run, Settlement settlement, RecorderIdentity recorder, Path file) {}

  /**
   * Bytes set aside beside a running entry, freed to write its settlement when the job has
   * filled the disk meanwhile (a settled entry is about a kilobyte).
   */
  static final int RESERVE_BYTES = 8192;

  /**
   * Spools a run before it starts (it survives the recorder being killed once this returns),
   * and sets aside the room its settlement will need.
   */
  @Override
  public void record(NewRun run) {
    write(run, null);
    File reserve = reserveOf(new File(dir.toFile(), fileName(run)));
    try (FileOutputStream out = new FileOutputStream(reserve)) {
      out.write(new byte[RESERVE_BYTES]); // written, not sparse: the blocks are taken
    } catch (IOException e) {
      reserve.delete(); // best effort: without it a settlement needs free space
    }
  }

  /**
   * Spools a run with its settlement (replacing its running entry). When the disk is full,
   * the room set aside at {@link #record} is given up for it.
   */
  @Override
  public void settle(NewRun run, Settlement settlement) {
    File reserve = reserveOf(new File(dir.toFile(), fileName(run)));
    try {
      write(run, settlement);
    } catch (StoreException e) {
      if (!reserve.delete()) {
        throw e;
      }
      write(run, settlement);
    }
    reserve.delete();
  }

  private static File reserveOf(File entry) {
    return new File(entry.getParentFile(), "." + entry.getName() + ".reserve");
  }

  private void write(NewRun run, Settlement settlement) {
    String text = SpoolFormat.write(RunColumns.of(run, settlement, RecorderIdentity.current()));
    // java.io rather than NIO channels: this runs twice in every launch, and the channel
    // classes are not in the JDK's class-data archive.
    File folder = dir.toFile();
    String name = fileName(run);
    File tmp = new File(folder, "." + name + ".tmp");
    File target = new File(folder, name);
    try {
      if (!folder.isDirectory()) {
        Files.createDirectories(dir);
      }
      try (FileOutputStream out = new FileOutputStream(tmp)) {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      }
      if (!tmp.renameTo(target)) { // atomic, replacing the target, within one file system
        Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StoreException("cannot write to the spool " + dir + ": " + e.getMessage()
          + " (is FORGE_HOME writable?)", e);
    }
  }

  /**
   * {@code <analysis key>-<run id>.run}: the analysis key in the name lets a launch read only
   * the spooled runs of its own analysis.
   */
  public static String fileName(NewRun run) {
    return analysisKey(run.analysisId()) + "-" + run.runId() + SUFFIX;
  }

  static String analysisKey(String analysisId) {
    String hex = Integer.toHexString(analysisId.hashCode());
    return "00000000".substring(hex.length()) + hex;
  }

  /** Number of spooled runs (cheap: one directory listing). */
  public int size() {
    return names("").size();
  }

  /**
   * A settled run as a prediction counts it.
   *
   * @param runId the run
   * @param analysisId its analysis
   * @param settledAt when it was settled
   * @param actual what it used; null when it did not run to completion or was not measured
   * @param killedAtMb the memory cap it was killed at (its peak was at least that), else 0
   */
  public record Settled(String runId, String analysisId, Instant settledAt, Usage actual,
      double killedAtMb) {

    /**
     * How a prediction counts a run's settlement: its actual only if measured in full, the cap
     * it ran under ({@code memoryLimitMb}, null when none) if it was killed at it.
     */
    public static Settled of(String runId, String analysisId, Settlement s,
        Double memoryLimitMb) {
      return new Settled(runId, analysisId, s.settledAt(),
          s.outcome().measuredInFull() ? s.actual() : null,
          s.outcome() == Outcome.OOM_KILLED && memoryLimitMb != null ? memoryLimitMb : 0);
    }

    /** {@link #of(String, String, Settlement, Double)} for a recorded run. */
    public static Settled of(NewRun run, Settlement s) {
      return of(run.runId(), run.analysisId(), s, run.memoryLimitMb());
    }

    /** Whether a prediction learns anything from it: a measurement or a kill's lower bound. */
    public boolean informs() {
      return actual != null || killedAtMb > 0;
    }
  }

  /**
   * The settled runs of one analysis. Only the first lines of each file are read (see {@link
   * SpoolFormat#HEAD}); runs already in {@code cache} (by file name) are not read again, and
   * newly read ones are added to it (a settled file never changes). Running and unreadable
   * files are skipped.
   */
  public List<Settled> settledOf(String analysisId, Map<String, Settled> cache) {
    List<Settled> mine = new ArrayList<>();
    File folder = dir.toFile();
    for (String name : names(analysisKey(analysisId) + "-")) {
      Settled s = cache.get(name);
      if (s == null) {
        s = SpoolHeads.settled(new File(folder, name));
        if (s == null) {
          continue;
        }
        cache.put(name, s);
      }
      if (s.analysisId().equals(analysisId)) {
        mine.add(s);
      }
    }
    return mine;
  }

  /** Every spooled run that can be read; unreadable files are skipped and reported by name. */
  public List<Entry> entries(List<Path> unreadable) {
    List<Path> files = new ArrayList<>();
    for (String name : names("")) {
      files.add(dir.resolve(name));
    }
    return read(files, unreadable);
  }

  /** A spooled run as its file's text (what a node delivers to {@code serve}). */
  public static String text(Entry e) {
    return SpoolFormat.write(RunColumns.of(e.run(), e.settlement(), e.recorder()));
  }

  /**
   * A spooled run from its file's text, without a file.
   *
   * @throws IllegalArgumentException when the text is no spooled run
   */
  public static Entry parse(String text) {
    try {
      Properties p = new Properties();
      p.load(new java.io.StringReader(text));
      RunColumns.Row row = RunColumns.read(SpoolFormat.values(p));
      return new Entry(row.run(), row.settlement(), row.recorder(), null);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a spooled run: " + e.getMessage(), e);
    }
  }

  /** Reads one spool file again; empty when it is gone or unreadable. */
  public static Optional<Entry> reread(Path file) {
    List<Entry> one = read(List.of(file), new ArrayList<>());
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  private static List<Entry> read(List<Path> files, List<Path> unreadable) {
    List<Entry> entries = new ArrayList<>();
    for (Path f : files) {
      try (Reader r = new InputStreamReader(new FileInputStream(f.toFile()),
          StandardCharsets.ISO_8859_1)) {
        Properties p = new Properties();
        p.load(r);
        RunColumns.Row row = RunColumns.read(SpoolFormat.values(p));
        entries.add(new Entry(row.run(), row.settlement(), row.recorder(), f));
      } catch (IOException | RuntimeException e) {
        if (Files.exists(f)) {
          unreadable.add(f);
        } // else ingested by another process meanwhile
      }
    }
    return entries;
  }

  /** Removes a spool file once its run is in the database. */
  public void remove(Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(reserveOf(file.toFile()).toPath()); // a run abandoned while running
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The names of the spool files that start with {@code prefix}, in no particular order (names,
   * not paths: resolving a path costs a launch more than reading the file).
   */
  private List<String> names(String prefix) {
    List<String> files = new ArrayList<>();
    File folder = dir.toFile();
    if (!folder.isDirectory()) {
      return files;
    }
    String[] names = folder.list();
    if (names == null) {
      throw new StoreException("cannot read the spool " + dir);
    }
    for (String name : names) {
      if (name.startsWith(prefix) && name.endsWith(SUFFIX) && !name.startsWith(".")) {
        files.add(name);
      }
    }
    return files;
  }
}
