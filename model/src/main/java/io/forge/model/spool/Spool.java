package io.forge.model.spool;

import io.forge.model.history.NewRun;
import io.forge.model.history.RecorderIdentity;
import io.forge.model.history.RunColumns;
import io.forge.model.history.RunRecorder;
import io.forge.model.history.Settlement;
import io.forge.model.history.StoreException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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

  /** Spools a run before it starts (it survives the recorder being killed once this returns). */
  @Override
  public void record(NewRun run) {
    write(run, null);
  }

  /** Spools a run with its settlement (replacing its running entry). */
  @Override
  public void settle(NewRun run, Settlement settlement) {
    write(run, settlement);
  }

  private void write(NewRun run, Settlement settlement) {
    String text = SpoolFormat.write(RunColumns.of(run, settlement, RecorderIdentity.current()));
    try {
      Files.createDirectories(dir);
      String name = fileName(run);
      Path tmp = dir.resolve("." + name + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
      }
      Path target = dir.resolve(name);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
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
    return files("*" + SUFFIX).size();
  }

  /**
   * The spooled runs of one analysis. Settled entries are taken from, and added to, {@code
   * settledCache} (a settled file never changes); unreadable files are skipped.
   */
  public List<Entry> entriesOf(String analysisId, java.util.Map<Path, Entry> settledCache) {
    List<Entry> mine = new ArrayList<>();
    for (Path f : files(analysisKey(analysisId) + "-*" + SUFFIX)) {
      Entry e = settledCache.get(f);
      if (e == null) {
        Optional<Entry> read = reread(f);
        if (read.isEmpty()) {
          continue;
        }
        e = read.get();
        if (e.settlement() != null) {
          settledCache.put(f, e);
        }
      }
      if (e.run().analysisId().equals(analysisId)) {
        mine.add(e);
      }
    }
    return mine;
  }

  /** Every spooled run that can be read; unreadable files are skipped and reported by name. */
  public List<Entry> entries(List<Path> unreadable) {
    return read(files("*" + SUFFIX), unreadable);
  }

  /** Reads one spool file again; empty when it is gone or unreadable. */
  public static Optional<Entry> reread(Path file) {
    List<Entry> one = read(List.of(file), new ArrayList<>());
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  private static List<Entry> read(List<Path> files, List<Path> unreadable) {
    List<Entry> entries = new ArrayList<>();
    for (Path f : files) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1)) {
        Properties p = new Properties();
        p.load(r);
        RunColumns.Row row = RunColumns.read(SpoolFormat.values(p));
        entries.add(new Entry(row.run(), row.settlement(), row.recorder(), f));
      } catch (NoSuchFileException e) {
        // Ingested by another process meanwhile.
      } catch (IOException | RuntimeException e) {
        unreadable.add(f);
      }
    }
    return entries;
  }

  /** Removes a spool file once its run is in the database. */
  public void remove(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> files(String glob) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new StoreException("cannot read the spool " + dir + ": " + e.getMessage(), e);
    }
    return files;
  }
}
