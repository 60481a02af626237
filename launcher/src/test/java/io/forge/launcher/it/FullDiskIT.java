package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that fills the disk of the Forge home: a real 256 KB tmpfs (mounting needs root; the
 * test is skipped elsewhere).
 */
@EnabledOnOs(OS.LINUX)
class FullDiskIT {

  @TempDir Path dir;
  private Path mount;

  private static int sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      sh("umount", mount.toString());
    }
  }

  /**
   * Regression: the settlement could not be written, the launcher exited 125 instead of the
   * job's 3, and the successful run was later ingested as abandoned. The room a settlement
   * needs is set aside when the run is recorded.
   */
  @Test
  void aJobThatFillsTheDiskKeepsItsExitCodeAndItsRunIsSettled() throws Exception {
    mount = dir.resolve("small");
    assumeTrue(mount.toFile().mkdir()
        && sh("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()) == 0,
        "mounting a tmpfs needs root");
    Path home = mount.resolve("home");
    Path work = dir.resolve("work"); // the test's own files, off the small disk
    java.nio.file.Files.createDirectories(work);
    Launcher launcher = new Launcher(work).env("FORGE_HOME", home.toString());
    Launcher.Result r = launcher.run("--", "bash", "-c",
        "cat /dev/zero > '" + mount.resolve("fill") + "' 2>/dev/null; exit 3");
    assertEquals(3, r.exitCode(), r.stderr());
    assertTrue(r.stderr().lines().anyMatch(l -> l.startsWith("forge: bash ")
        && l.endsWith(" failed")), r.stderr());
    List<String> spooled = List.of(home.resolve("spool").toFile().list());
    assertEquals(1, spooled.size(), spooled.toString());
    String entry = java.nio.file.Files.readString(home.resolve("spool").resolve(spooled.get(0)));
    assertTrue(entry.contains("outcome=failed"), entry);
    assertTrue(entry.contains("exit_code=3"), entry);
  }
}
