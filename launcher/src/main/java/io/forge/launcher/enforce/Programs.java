package io.forge.launcher.enforce;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which commands {@code ProcessBuilder.start()} would start as they stand. */
final class Programs {

  private Programs() {}

  /**
   * The program a command's first word names, found as {@code ProcessBuilder} finds it (a path
   * with a slash against {@code directory}, else on this process's {@code PATH}), or null when
   * it could not be started: not found, not executable, or a file the kernel cannot exec (a
   * script without {@code #!}, which a wrapping shell would run as a shell script instead).
   */
  static Path startable(String name, File directory) {
    List<Path> candidates = new ArrayList<>();
    if (name.contains("/")) {
      Path base = directory == null ? Path.of("").toAbsolutePath() : directory.toPath();
      candidates.add(base.resolve(name));
    } else {
      String path = System.getenv("PATH");
      for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return execFormat(p) ? p : null;
      }
    }
    return null;
  }

  /** Whether the kernel can exec the file itself: an ELF binary or a {@code #!} script. */
  private static boolean execFormat(Path file) {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    } catch (IOException e) {
      return false;
    }
    return (n >= 2 && head[0] == '#' && head[1] == '!')
        || (n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F');
  }
}
