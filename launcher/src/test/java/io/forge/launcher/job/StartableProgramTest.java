package io.forge.launcher.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which commands the agent may wrap in its cgroup-joining shell: only those {@code
 * ProcessBuilder.start()} would start, so a host's failed start fails as it would without Forge.
 */
@EnabledOnOs(OS.LINUX)
class StartableProgramTest {

  @TempDir Path dir;

  private Path file(String name, String text, boolean executable) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
        executable ? "rwxr-xr-x" : "rw-r--r--"));
    return p;
  }

  @Test
  void programsOnThePathAndScriptsWithAShebangAreStartable() throws Exception {
    assertNotNull(Programs.startable("sh", null));
    file("job.sh", "#!/bin/sh\necho hi\n", true);
    assertEquals(dir.resolve("./job.sh"), Programs.startable("./job.sh", dir.toFile()));
  }

  @Test
  void whatStartWouldRefuseIsNotWrapped() throws Exception {
    assertNull(Programs.startable("no-such-interpreter", null), "not found");
    file("plain.sh", "#!/bin/sh\necho hi\n", false);
    assertNull(Programs.startable("./plain.sh", dir.toFile()), "not executable");
    file("bare.sh", "echo no shebang\n", true);
    assertNull(Programs.startable("./bare.sh", dir.toFile()),
        "exec fails with ENOEXEC, while a shell would run it as a script");
    assertNull(Programs.startable(dir.toString(), null), "a folder");
  }
}
