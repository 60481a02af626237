package io.forge.model.snapshot;

import io.forge.model.Usage;
import io.forge.model.db.EvidenceQueries;
import io.forge.model.db.HistoryStore;
import io.forge.model.db.ModelRepository;
import io.forge.model.features.PriorRuns;
import io.forge.model.history.StoreException;
import io.forge.model.predict.ModelInfo;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a launch needs to predict, in one small file ({@code
 * $FORGE_HOME/predictor.snapshot}): the current model's payload; per analysis, the summary of
 * its measured runs, its last few runs and a kill since; and the peak calibration (its scores
 * and tools' peaks). Rewritten whenever the database gains runs or a model; a launch reads it
 * in about a millisecond instead of opening the database.
 *
 * @param model the current model, if any
 * @param analyses earlier runs per analysis, as of the snapshot
 * @param calibration the peak calibration, as of the snapshot
 */
public record PredictorSnapshot(Optional<TrainedModel> model,
    Map<String, Predictor.Earlier> analyses, PeakCalibration calibration) {

  private static final int MAGIC = 0x46534e50; // "FSNP"
  private static final int FORMAT = 2;

  /** The snapshot file of a Forge home. */
  public static Path file(Path home) {
    return home.toAbsolutePath().normalize().resolve("predictor.snapshot");
  }

  /** Builds the snapshot from the database. */
  public static PredictorSnapshot build(HistoryStore history, ModelRepository models,
      int recentLimit) {
    EvidenceQueries.Replayed replayed = history.evidence().replay(recentLimit);
    return new PredictorSnapshot(models.latest(), replayed.analyses(), replayed.calibration());
  }

  /** Writes the snapshot atomically (readers see the old or the new file, never half). */
  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      // A unique temporary name: several threads of one server may refresh at once.
      Path tmp = Files.createTempFile(file.getParent(), ".snapshot", ".tmp");
      try (OutputStream raw = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeBoolean(model.isPresent());
        if (model.isPresent()) {
          ModelInfo info = model.get().info();
          out.writeInt(info.version());
          out.writeLong(info.trainedAt().toEpochMilli());
          out.writeInt(info.rowCount());
          out.writeInt(info.layoutVersion());
          out.writeUTF(info.featureLayout());
          byte[] payload = model.get().payloadBytes();
          out.writeInt(payload.length);
          out.write(payload);
        }
        out.writeInt(analyses.size());
        for (var e : analyses.entrySet()) {
          out.writeUTF(e.getKey());
          PriorRuns s = e.getValue().summary();
          out.writeInt(s.count());
          for (Usage u : List.of(s.mean(), s.max(), s.last())) {
            writeUsage(out, u);
          }
          out.writeInt(e.getValue().recentOldestFirst().size());
          for (Usage u : e.getValue().recentOldestFirst()) {
            writeUsage(out, u);
          }
          out.writeDouble(e.getValue().killedAtMb());
        }
        calibration.write(out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The version of the model a snapshot holds, read from its header alone: empty when there is
   * no readable snapshot, an empty inner value when it holds no model.
   */
  public static Optional<Optional<Integer>> modelVersion(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        new FileInputStream(file.toFile()), 64))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        return Optional.empty();
      }
      return Optional.of(in.readBoolean() ? Optional.of(in.readInt()) : Optional.empty());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Reads a snapshot; empty when there is none or it cannot be read (it is then rebuilt). */
  public static Optional<PredictorSnapshot> read(Path file) {
    // java.io, not Files.newInputStream: the NIO channel classes cost every launch ~3 ms.
    try (InputStream raw = new FileInputStream(file.toFile());
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        return Optional.empty();
      }
      Optional<TrainedModel> model = Optional.empty();
      if (in.readBoolean()) {
        int version = in.readInt();
        Instant trainedAt = Instant.ofEpochMilli(in.readLong());
        int rows = in.readInt();
        int layoutVersion = in.readInt();
        String layout = in.readUTF();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        model = Optional.of(TrainedModel.fromPayload(payload,
            new ModelInfo(version, trainedAt, rows, layoutVersion, layout, Map.of())));
      }
      int n = in.readInt();
      Map<String, Predictor.Earlier> analyses = new HashMap<>(Math.max(16, n * 2));
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        PriorRuns summary = new PriorRuns(in.readInt(), readUsage(in), readUsage(in),
            readUsage(in));
        int k = in.readInt();
        List<Usage> recent = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
          recent.add(readUsage(in));
        }
        analyses.put(id, new Predictor.Earlier(recent, summary, in.readDouble()));
      }
      return Optional.of(new PredictorSnapshot(model, analyses, PeakCalibration.read(in)));
    } catch (IOException | RuntimeException e) {
      // Missing, corrupt or from another version: the next database open rebuilds it.
      return Optional.empty();
    }
  }

  private static void writeUsage(DataOutputStream out, Usage u) throws IOException {
    out.writeDouble(u.cpuSeconds());
    out.writeDouble(u.peakRssMb());
    out.writeDouble(u.wallSeconds());
  }

  private static Usage readUsage(DataInputStream in) throws IOException {
    return new Usage(in.readDouble(), in.readDouble(), in.readDouble());
  }
}
