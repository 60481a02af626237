package io.forge.model.store;

import io.forge.model.Outcome;
import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.features.Features;
import io.forge.model.features.Runtimes;
import io.forge.model.predict.Basis;
import io.forge.model.predict.Interval;
import io.forge.model.predict.Prediction;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The launcher's write-ahead record: one small file per run under {@code $FORGE_HOME/spool},
 * written before the job starts and rewritten with its settlement after it ends. Each write
 * goes to a temporary file renamed into place, so a reader never sees half a record and a
 * killed writer loses nothing it wrote (the kernel keeps it); it is not forced to the disk,
 * which would cost milliseconds per write and only matters if the machine itself loses power. Writing a file costs a millisecond where opening the database costs hundreds, and
 * launches never wait on each other. Any process that opens the database first moves the
 * spooled runs into {@code resource_prediction} ({@link HistoryStore#ingest}), so {@code
 * history}, {@code stats}, training and the dashboard always see them; a run whose recorder
 * died before settling is ingested as {@code abandoned}.
 */
public final class Spool {

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
  public void record(NewRun run) {
    write(run, null);
  }

  /** Spools a run with its settlement (replacing its running entry). */
  public void settle(NewRun run, Settlement settlement) {
    write(run, settlement);
  }

  private void write(NewRun run, Settlement settlement) {
    Properties p = toProperties(run, settlement, RecorderIdentity.current());
    try {
      Files.createDirectories(dir);
      String text = format(p);
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
  static String fileName(NewRun run) {
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
  static Optional<Entry> reread(Path file) {
    List<Entry> one = read(List.of(file), new ArrayList<>());
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  private static List<Entry> read(List<Path> files, List<Path> unreadable) {
    List<Entry> entries = new ArrayList<>();
    for (Path f : files) {
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1)) {
        Properties p = new Properties();
        p.load(r);
        entries.add(fromProperties(p, f));
      } catch (NoSuchFileException e) {
        // Ingested by another process meanwhile.
      } catch (IOException | RuntimeException e) {
        unreadable.add(f);
      }
    }
    return entries;
  }

  /** Removes a spool file once its run is in the database. */
  void remove(Path file) {
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

  /**
   * The properties in {@link Properties#load} syntax. {@link Properties#store} would do, but it
   * writes a date comment whose formatting loads the locale and time-zone data — tens of
   * milliseconds on every launch.
   */
  static String format(Properties p) {
    StringBuilder out = new StringBuilder(1024);
    for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
      escape(key, out, true);
      out.append('=');
      escape(p.getProperty(key), out, false);
      out.append('\n');
    }
    return out.toString();
  }

  private static void escape(String s, StringBuilder out, boolean isKey) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case '=', ':', '#', '!' -> out.append('\\').append(c);
        case ' ' -> {
          if (isKey || i == 0) {
            out.append('\\');
          }
          out.append(' ');
        }
        default -> {
          if (c < 0x20 || c > 0x7e) {
            String hex = Integer.toHexString(c);
            out.append("\\u").append("0000", hex.length(), 4).append(hex);
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  static Properties toProperties(NewRun run, Settlement s, RecorderIdentity recorder) {
    Properties p = new Properties();
    p.setProperty("run_id", run.runId());
    p.setProperty("analysis_id", run.analysisId());
    Features f = run.features();
    p.setProperty("runtime", f.runtime());
    p.setProperty("script_features", ScriptFeaturesCodec.encode(f.script()));
    p.setProperty("input_count", Integer.toString(f.inputCount()));
    p.setProperty("input_total_mb", Double.toString(f.inputTotalMb()));
    p.setProperty("input_max_mb", Double.toString(f.inputMaxMb()));
    Prediction pr = run.prediction();
    if (pr != null) {
      for (Target t : Target.values()) {
        p.setProperty("predicted." + t.jsonName(), Double.toString(pr.get(t)));
        p.setProperty("low." + t.jsonName(), Double.toString(pr.interval(t).low()));
        p.setProperty("high." + t.jsonName(), Double.toString(pr.interval(t).high()));
      }
      p.setProperty("confidence", Double.toString(pr.confidence()));
      p.setProperty("basis", pr.basis().jsonName());
      if (pr.modelVersion() != null) {
        p.setProperty("model_version", Integer.toString(pr.modelVersion()));
      }
    }
    p.setProperty("mode", run.mode());
    put(p, "memory_limit_mb", run.memoryLimitMb());
    put(p, "timeout_s", run.timeoutSeconds());
    put(p, "mechanism", run.mechanism());
    put(p, "command", run.command());
    p.setProperty("source", run.source());
    put(p, "label", run.label());
    put(p, "import_key", run.importKey());
    // Epoch milliseconds, not ISO text: java.time's formatter costs a launch ~10 ms to load.
    p.setProperty("predicted_at_ms", Long.toString(run.predictedAt().toEpochMilli()));
    p.setProperty("host", recorder.host());
    p.setProperty("pid", Long.toString(recorder.pid()));
    p.setProperty("started_ms", Long.toString(recorder.startedMs()));
    if (s != null) {
      p.setProperty("outcome", s.outcome().dbName());
      put(p, "exit_code", s.exitCode());
      p.setProperty("settled_at_ms", Long.toString(s.settledAt().toEpochMilli()));
      if (s.actual() != null) {
        for (Target t : Target.values()) {
          p.setProperty("actual." + t.jsonName(), Double.toString(s.actual().get(t)));
        }
      }
    }
    return p;
  }

  static Entry fromProperties(Properties p, Path file) {
    Features f = new Features(
        Runtimes.KNOWN.contains(p.getProperty("runtime")) ? p.getProperty("runtime") : "other",
        ScriptFeaturesCodec.decode(p.getProperty("script_features")),
        Integer.parseInt(p.getProperty("input_count", "0")),
        Double.parseDouble(p.getProperty("input_total_mb", "0")),
        Double.parseDouble(p.getProperty("input_max_mb", "0")),
        io.forge.model.features.PriorRuns.none());
    Prediction prediction = null;
    if (p.getProperty("basis") != null) {
      String mv = p.getProperty("model_version");
      prediction = new Prediction(
          dbl(p, "predicted.cpu_seconds"), dbl(p, "predicted.peak_rss_mb"),
          dbl(p, "predicted.wall_seconds"), dbl(p, "confidence"),
          new Interval(dbl(p, "low.cpu_seconds"), dbl(p, "high.cpu_seconds")),
          new Interval(dbl(p, "low.peak_rss_mb"), dbl(p, "high.peak_rss_mb")),
          new Interval(dbl(p, "low.wall_seconds"), dbl(p, "high.wall_seconds")),
          mv == null ? null : Integer.valueOf(mv),
          Basis.fromJson(p.getProperty("basis")));
    }
    NewRun run = new NewRun(
        p.getProperty("run_id"), p.getProperty("analysis_id"), f, prediction,
        p.getProperty("mode"), optDouble(p, "memory_limit_mb"), optDouble(p, "timeout_s"),
        p.getProperty("mechanism"), p.getProperty("command"), p.getProperty("source"),
        p.getProperty("label"), p.getProperty("import_key"),
        Instant.ofEpochMilli(Long.parseLong(p.getProperty("predicted_at_ms"))));
    Settlement settlement = null;
    if (p.getProperty("outcome") != null) {
      Usage actual = p.getProperty("actual.cpu_seconds") == null ? null
          : new Usage(dbl(p, "actual.cpu_seconds"), dbl(p, "actual.peak_rss_mb"),
              dbl(p, "actual.wall_seconds"));
      String exit = p.getProperty("exit_code");
      settlement = new Settlement(actual, Outcome.fromDb(p.getProperty("outcome")),
          exit == null ? null : Integer.valueOf(exit),
          Instant.ofEpochMilli(Long.parseLong(p.getProperty("settled_at_ms"))));
    }
    RecorderIdentity recorder = new RecorderIdentity(p.getProperty("host", "unknown"),
        Long.parseLong(p.getProperty("pid", "0")), Long.parseLong(p.getProperty("started_ms",
        "0")));
    return new Entry(run, settlement, recorder, file);
  }

  private static void put(Properties p, String key, Object value) {
    if (value != null) {
      p.setProperty(key, value.toString());
    }
  }

  private static double dbl(Properties p, String key) {
    return Double.parseDouble(p.getProperty(key));
  }

  private static Double optDouble(Properties p, String key) {
    String v = p.getProperty(key);
    return v == null ? null : Double.valueOf(v);
  }
}
