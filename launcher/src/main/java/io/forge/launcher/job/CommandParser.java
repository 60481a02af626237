package io.forge.launcher.job;

import io.forge.model.Job;
import io.forge.model.ScriptText;
import io.forge.model.Words;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a command line as a job: the interpreter and script ({@code python3 x.py}, {@code
 * Rscript x.R}, {@code bash x.sh}, {@code perl x.pl}, {@code java -jar x.jar}, or an executable
 * script with a shebang), the runtime, the analysis id (default: the script's file name) and
 * the inputs (default: the other arguments that name existing files or folders, folders
 * summed). A command with no script file (e.g. {@code sort big.txt}) is still a job: its
 * command line is scanned as its script text.
 */
public final class CommandParser {

  /** Folder walks stop after this many files (a huge folder is sized by what was seen). */
  static final int MAX_FILES_PER_FOLDER = 100_000;

  private CommandParser() {}

  /**
   * Overrides from the command line.
   *
   * @param analysisId {@code --analysis-id}, or null
   * @param runtime {@code --runtime}, or null
   * @param inputs {@code --input} paths; empty for the default detection
   */
  public record Overrides(String analysisId, String runtime, List<Path> inputs) {
    /** No overrides. */
    public static Overrides none() {
      return new Overrides(null, null, List.of());
    }
  }

  /** Parses a command run from {@code cwd}. */
  public static JobSpec parse(List<String> command, Overrides overrides, Path cwd) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command given after --");
    }
    String program = baseName(command.get(0));
    String runtime;
    Interpreters interpreter = Interpreters.of(program);
    Interpreters.Target target;
    if (interpreter != null) {
      runtime = interpreter.runtime();
      target = interpreter.read(command);
    } else {
      Path self = Programs.find(command.get(0), cwd);
      String shebang = self == null ? null : shebangInterpreter(self);
      runtime = shebang != null ? shebang : program;
      target = new Interpreters.Target(shebang != null ? 0 : -1, null, null, null);
    }
    int scriptIndex = target.scriptIndex();
    String inlineCode = target.inlineCode();
    String moduleOrClass = target.moduleOrClass();

    Path script = null;
    ScriptText text;
    if (scriptIndex >= 0) {
      String arg = command.get(scriptIndex);
      if (arg.startsWith("--file=")) {
        arg = arg.substring("--file=".length());
      }
      script = scriptIndex == 0 ? Programs.find(arg, cwd) : cwd.resolve(arg);
      text = readScript(script);
    } else if (inlineCode != null) {
      text = ScriptText.of(inlineCode);
    } else if (moduleOrClass != null) {
      text = ScriptText.absent();
    } else {
      text = ScriptText.of(String.join(" ", command));
    }

    String analysisId = JobNames.analysisId(overrides.analysisId(), script, moduleOrClass,
        inlineCode, program + " " + target.inlineFlag(), program);
    String runtimeName = overrides.runtime() != null ? overrides.runtime() : runtime;

    List<Path> inputs = new ArrayList<>();
    if (!overrides.inputs().isEmpty()) {
      for (Path p : overrides.inputs()) {
        Path resolved = cwd.resolve(p);
        if (!Files.exists(resolved)) {
          throw new IllegalArgumentException("--input " + p + ": no such file or folder");
        }
        inputs.add(resolved);
      }
    } else {
      for (int i = 1; i < command.size(); i++) {
        if (i == scriptIndex) {
          continue;
        }
        String a = command.get(i);
        String candidate = a.contains("=") && !Files.exists(safePath(cwd, a))
            ? a.substring(a.indexOf('=') + 1) : a;
        Path p = safePath(cwd, candidate);
        if (p != null && !candidate.isEmpty() && Files.exists(p) && !p.equals(script)) {
          inputs.add(p);
        }
      }
    }
    List<Double> sizes = new ArrayList<>();
    for (Path p : inputs) {
      sizes.add(sizeMb(p));
    }
    Job job = new Job(analysisId, runtimeName, text, sizes);
    return new JobSpec(job, command, script, inputs);
  }

  private static Path safePath(Path cwd, String arg) {
    try {
      return arg.isEmpty() ? null : cwd.resolve(arg);
    } catch (RuntimeException e) {
      return null; // not a valid path on this file system
    }
  }

  private static ScriptText readScript(Path script) {
    if (script == null || !Files.isRegularFile(script)) {
      return ScriptText.absent();
    }
    try {
      return ScriptText.read(script);
    } catch (IOException e) {
      return ScriptText.absent();
    }
  }

  /** Size of a file or folder in MB. */
  public static double sizeMb(Path p) {
    return sizeBytes(p) / (1024.0 * 1024.0);
  }

  /** Size of a file, or of all files under a folder (symbolic links to files followed). */
  static long sizeBytes(Path p) {
    try {
      if (Files.isRegularFile(p)) {
        return Files.size(p);
      }
      if (Files.isDirectory(p)) {
        FolderSize size = new FolderSize();
        Files.walkFileTree(p, size);
        return size.bytes;
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable input: counted with size 0 rather than failing the launch.
    }
    return 0;
  }

  /** Adds up a folder's files, stopping after {@link #MAX_FILES_PER_FOLDER} entries. */
  private static final class FolderSize extends SimpleFileVisitor<Path> {
    long bytes;
    int entries;

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      return ++entries >= MAX_FILES_PER_FOLDER ? FileVisitResult.TERMINATE
          : FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (attrs.isRegularFile()) {
        bytes += attrs.size();
      } else if (attrs.isSymbolicLink()) {
        File target = file.toFile();
        bytes += target.isFile() ? target.length() : 0;
      }
      return ++entries >= MAX_FILES_PER_FOLDER ? FileVisitResult.TERMINATE
          : FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) {
      return FileVisitResult.CONTINUE; // unreadable: counted as 0
    }
  }

  /** The runtime named by a script's {@code #!} line, or null when it has none. */
  static String shebangInterpreter(Path file) {
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      byte[] head = in.readNBytes(256);
      int end = 0;
      while (end < head.length && head[end] != '\n' && head[end] != '\r') {
        end++;
      }
      return parseShebang(new String(head, 0, end, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return null; // binary or unreadable: not a script
    }
  }

  /** {@code #!/usr/bin/env python3} → {@code python3}; {@code #!/bin/bash -e} → {@code bash}. */
  static String parseShebang(String line) {
    if (!line.startsWith("#!")) {
      return null;
    }
    String[] parts = Words.of(line.substring(2));
    if (parts.length == 0) {
      return null;
    }
    String interpreter = baseName(parts[0]);
    if (interpreter.equals("env")) {
      for (int i = 1; i < parts.length; i++) {
        if (!parts[i].startsWith("-")) {
          return baseName(parts[i]);
        }
      }
      return null;
    }
    return interpreter;
  }

  static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }
}
