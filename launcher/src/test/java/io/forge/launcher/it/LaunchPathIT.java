package io.forge.launcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.forge.launcher.cli.Launch;
import io.forge.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as shipped: Forge's classes on top, its libraries inside, unpacked once into the
 * user's cache, and a launch that touches none of them (what keeps its start-up short).
 */
@EnabledOnOs(OS.LINUX)
class LaunchPathIT {

  @TempDir Path home;
  @TempDir Path cache;

  private Launcher launcher() {
    return new Launcher(home).env("XDG_CACHE_HOME", cache.toString());
  }

  private List<Path> unpacked() throws Exception {
    Path dir = cache.resolve("forge");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void theLibrariesAreUnpackedOnceIntoTheUsersCache() throws Exception {
    Launcher.Result first = launcher().run("stats");
    assertEquals(0, first.exitCode(), first.stderr());
    List<Path> files = unpacked();
    assertEquals(1, files.size(), files.toString());
    long size;
    try (ZipFile jar = new ZipFile(Launcher.jar().toFile())) {
      size = jar.getEntry(Launch.LIBRARIES).getSize();
    }
    assertEquals(size, Files.size(files.get(0)));
    assertTrue(files.get(0).getFileName().toString().startsWith("forge-libraries-"));

    FileTime written = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(files.get(0), written);
    Launcher.Result again = launcher().run("history", "--limit", "1");
    assertEquals(0, again.exitCode(), again.stderr());
    assertEquals(List.of(files.get(0)), unpacked(), "nothing else written");
    assertEquals(written, Files.getLastModifiedTime(files.get(0)), "not unpacked again");

    Launcher.Result doctor = launcher().run("doctor", "--json");
    assertEquals(files.get(0).toString(), Json.readObject(doctor.stdout()).get("libraries"),
        doctor.stdout());
  }

  @Test
  void anUnusableCacheIsOneLineAndExit125() throws Exception {
    Path notADirectory = Files.writeString(cache.resolve("file"), "x");
    Launcher.Result r = new Launcher(home).env("XDG_CACHE_HOME", notADirectory.toString())
        .run("stats");
    assertEquals(125, r.exitCode(), r.stderr());
    assertTrue(r.stderr().startsWith("forge: cannot unpack Forge's libraries into "
        + notADirectory.resolve("forge")), r.stderr());
    assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
  }

  /**
   * A wrapped job's launch reads none of the libraries and spins no class at run time for
   * Forge's own code: no lambda, no proxy (each costs a launch a millisecond or more) — with a
   * trained model in the snapshot, and in a terminal, where it also loads its signal helper.
   */
  @Test
  void aLaunchLoadsNoLibraryAndSpinsNoClassOfItsOwn() throws Exception {
    Launcher.Result imported = launcher().run("import", "--format", "nextflow",
        ImportEvaluateIT.traces().resolve("chipseq").resolve("run1.trace.csv").toString());
    assertEquals(0, imported.exitCode(), imported.stderr());
    Launcher.Result trained = launcher().run("train");
    assertEquals(0, trained.exitCode(), trained.stderr());
    assertEquals(0, launcher().run("--quiet", "--", "true").exitCode());

    Path log = home.resolve("classes.log");
    Launcher.Result r = launcher().jvm("-Xlog:class+load=info:file=" + log)
        .run("--quiet", "--", "sh", "-c", "exit 3");
    assertEquals(3, r.exitCode(), r.stderr());
    assertLean(log);
    assertTrue(Files.readString(log).contains(" io.forge.model.predict.CompiledForest "),
        "the launch predicted with the trained model");
  }

  @Test
  void inATerminalALaunchAlsoLoadsNoLibrary() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1)");
    Path log = home.resolve("classes.log");
    ProcessBuilder launch = launcher().jvm("-Xlog:class+load=info:file=" + log)
        .builder(List.of("--quiet", "--", "true"));
    StringBuilder shell = new StringBuilder();
    for (String word : launch.command()) {
      shell.append(shell.length() == 0 ? "" : " ").append("'")
          .append(word.replace("'", "'\\''")).append("'");
    }
    // script(1) gives the launch a pseudo-terminal whose foreground group it is.
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", shell.toString(), "/dev/null")
        .directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(home.resolve("pty.out").toFile());
    pb.environment().putAll(launch.environment());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(home.resolve("pty.out")));
    assertLean(log);
    boolean bundled;
    try (ZipFile jar = new ZipFile(Launcher.jar().toFile())) {
      bundled = jar.stream().anyMatch(e -> e.getName().endsWith("/libforgesignals.so"));
    }
    if (bundled) {
      try (Stream<Path> helpers = Files.list(home.resolve("native"))) {
        assertEquals(1, helpers.filter(f -> f.getFileName().toString()
            .startsWith("libforgesignals-")).count(), "the signal helper was loaded");
      }
    }
  }

  private static void assertLean(Path log) throws Exception {
    List<String> forge = new ArrayList<>();
    List<String> offending = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.contains("forge-libraries-")) {
        offending.add(line);
      }
      if (line.contains(" io.forge.")) {
        forge.add(line);
        if (line.contains("$$Lambda") || line.contains("jdk.proxy")) {
          offending.add(line);
        }
      }
      if (line.contains("jdk.proxy") || line.contains("java.lang.reflect.Proxy ")) {
        offending.add(line);
      }
    }
    assertTrue(forge.size() > 20, "the log lists Forge's classes: " + forge.size());
    assertEquals(List.of(), offending);
  }
}
