package io.forge.launcher.web;

import io.forge.model.ForgeModel;
import io.forge.model.predict.Predictor;
import io.forge.model.store.LaunchSource;
import io.forge.model.store.PredictorSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;

/**
 * Predictions for the API from the launch snapshot (and the spool), as a launch makes them:
 * no database round trip per request. The snapshot is re-read when its file changes.
 */
final class SnapshotPredictor {

  private final ForgeModel forge;
  private final Path file;
  private FileTime loadedAt;
  private Predictor predictor;

  SnapshotPredictor(ForgeModel forge) {
    this.forge = forge;
    this.file = PredictorSnapshot.file(forge.history().database().location().home());
  }

  synchronized Predictor current() {
    FileTime modified = modified();
    if (modified == null) {
      forge.refreshSnapshot();
      modified = modified();
    }
    if (predictor == null || !modified.equals(loadedAt)) {
      Path home = forge.history().database().location().home();
      predictor = new Predictor(LaunchSource.load(home).orElseThrow(
          () -> new IllegalStateException("cannot read " + file)), Clock.systemUTC());
      loadedAt = modified;
    }
    return predictor;
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }
}
