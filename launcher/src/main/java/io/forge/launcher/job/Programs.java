package io.forge.launcher.job;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding a command's program as the shell and {@code ProcessBuilder} find it. */
public final class Programs {

  private Programs() {}

  /**
   * The program a command's first word names: a path when it contains a slash (against {@code
   * cwd}), else the first match on this process's {@code PATH}; null when not found.
   */
  public static Path find(String program, Path cwd) {
    if (program.contains("/")) {
      Path p = cwd.resolve(program);
      return Files.exists(p) ? p : null;
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, program);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * The program, if {@code ProcessBuilder.start()} would start it as it stands: found,
   * executable, and a file the kernel can exec (an ELF binary or a {@code #!} script — a
   * script without {@code #!} fails with ENOEXEC, where a wrapping shell would run it as a shell
   * script instead); null otherwise.
   *
   * @param directory the working directory, null for this process's
   */
  public static Path startable(String program, File directory) {
    Path p = find(program, directory == null ? Path.of("").toAbsolutePath()
        : directory.toPath());
    return p != null && Files.isRegularFile(p) && Files.isExecutable(p) && execFormat(p) ? p
        : null;
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
