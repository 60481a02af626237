package io.forge.launcher.enforce;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How enforcers make and remove cgroup directories: the kernel fills a new cgroup with its
 * control files, so tests hand in a fake that does the same in a temporary folder.
 */
interface CgroupFs {

  /** The real cgroup file systems. */
  CgroupFs REAL = new CgroupFs() {
    @Override
    public void makeChild(Path dir) throws IOException {
      Files.createDirectory(dir);
    }

    @Override
    public void remove(Path dir) throws IOException {
      Files.deleteIfExists(dir);
    }
  };

  /** Makes a child cgroup (fails if it exists). */
  void makeChild(Path dir) throws IOException;

  /** Removes an empty child cgroup (EBUSY while processes are still in it). */
  void remove(Path dir) throws IOException;

  /**
   * Writes a control file ({@code memory.max}, {@code cgroup.procs}, …) as {@code echo} would.
   * Plain {@code java.io}: the NIO channel classes are not in the JDK's class-data archive, and
   * every launch writes here.
   */
  static void write(Path file, String value) throws IOException {
    try (FileOutputStream out = new FileOutputStream(file.toString())) {
      out.write(value.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
