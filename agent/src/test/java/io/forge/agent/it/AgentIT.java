package io.forge.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forge.examples.executor.ExampleExecutor;
import io.forge.model.Outcome;
import io.forge.model.spool.Spool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The real agent jar attached with -javaagent to forked JVMs running the example executor. */
@EnabledOnOs(OS.LINUX)
class AgentIT {

  @TempDir Path dir;
  Path home;
  Path input;

  record Run(int exit, String stdout, String stderr) {}

  @BeforeEach
  void data() throws IOException {
    home = dir.resolve("forge-home");
    input = dir.resolve("words.txt");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      text.append("w").append(i % 5000).append(i % 12 == 0 ? '\n' : ' ');
    }
    Files.writeString(input, text);
  }

  static Path agentJar() {
    return Path.of(System.getProperty("forge.agent.jar"));
  }

  static Path script() {
    return Path.of("..", "examples", "scripts", "wordfreq.py").toAbsolutePath().normalize();
  }

  Run executor(String agentArgs, Map<String, String> props, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (agentArgs != null) {
      command.add("-javaagent:" + agentJar() + "=" + agentArgs);
    }
    props.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-cp", executorClasspath(), ExampleExecutor.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "executor hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static String executorClasspath() {
    // The examples jar: the executor depends on nothing of Forge.
    return Path.of(ExampleExecutor.class.getProtectionDomain().getCodeSource().getLocation()
        .getPath()).toString();
  }

  List<Spool.Entry> spooled() {
    return new Spool(home).entries(new ArrayList<>());
  }

  static int[] limits(String stdout) {
    Matcher m = Pattern.compile("limits memory=(\\d+) timeout=(\\d+)").matcher(stdout);
    List<int[]> all = new ArrayList<>();
    while (m.find()) {
      all.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
    }
    return all.get(all.size() - 1);
  }

  @Test
  void dryRunRecordsAndSettlesEveryCallAndChangesNothing() throws Exception {
    Run run = executor("home=" + home + ",mode=dry-run", Map.of("forge.example.repeat", "3"),
        "python3", script().toString(), "4000", "3600", input.toString());
    assertEquals(0, run.exit(), run.stderr());
    assertEquals("", run.stderr(), "the agent says nothing when all is well");
    assertEquals(4000, limits(run.stdout())[0], "dry-run leaves the limits alone");
    List<Spool.Entry> rows = spooled();
    assertEquals(3, rows.size());
    for (Spool.Entry e : rows) {
      assertEquals("wordfreq.py", e.run().analysisId());
      assertEquals("agent", e.run().source());
      assertEquals(1, e.run().features().inputCount());
      assertTrue(e.run().features().script().tokens("pandas") > 0, "script scanned");
      assertEquals(Outcome.OK, e.settlement().outcome());
      assertTrue(e.settlement().actual().peakRssMb() > 5, "child measured: " + e.settlement());
      assertTrue(e.settlement().actual().cpuSeconds() > 0);
    }
  }

  @Test
  void enforceRewritesTheLimitArgumentsFromTheAnalysisHistory() throws Exception {
    assertEquals(0, executor("home=" + home + ",mode=dry-run", Map.of("forge.example.repeat",
        "3"), "python3", script().toString(), "4000", "3600", input.toString()).exit());
    double peak = spooled().stream().mapToDouble(e -> e.settlement().actual().peakRssMb())
        .max().orElseThrow();

    Run enforced = executor("home=" + home + ",mode=enforce", Map.of(), "python3",
        script().toString(), "4000", "3600", input.toString());
    assertEquals(0, enforced.exit(), enforced.stderr());
    int[] seen = limits(enforced.stdout());
    assertNotEquals(4000, seen[0], "the executor must see the predicted cap");
    assertTrue(seen[0] >= peak && seen[0] < 4 * peak,
        "cap " + seen[0] + " MB for a peak of " + peak + " MB");
    assertEquals(60, seen[1], "timeout = max(60, 1.3 x predicted wall)");
  }

  @Test
  void aThrowingCallIsSettledAsFailedAndTheExceptionStillReachesTheHost() throws Exception {
    Run run = executor("home=" + home, Map.of(), "no-such-interpreter", script().toString(),
        "100", "60", input.toString());
    assertNotEquals(0, run.exit());
    assertTrue(run.stderr().contains("IOException"), run.stderr());
    assertFalse(run.stderr().contains("forge-agent"), run.stderr());
    List<Spool.Entry> rows = spooled();
    assertEquals(1, rows.size());
    assertEquals(Outcome.FAILED, rows.get(0).settlement().outcome());
  }

  @Test
  void whenForgeCannotRecordTheHostStillCompletesItsCalls() throws Exception {
    Run run = executor("home=/proc/forge-cannot-live-here,mode=enforce",
        Map.of("forge.example.repeat", "2"), "python3", script().toString(), "4000", "3600",
        input.toString());
    assertEquals(0, run.exit(), run.stderr());
    assertEquals(2, run.stdout().lines().filter(l -> l.startsWith("result exit=0")).count());
    assertEquals(4000, limits(run.stdout())[0], "unplanned calls keep their own limits");
    long agentLines = run.stderr().lines().filter(l -> l.startsWith("forge-agent:")).count();
    assertEquals(1, agentLines, "logged once: " + run.stderr());
  }

  @Test
  void aBadAgentArgumentLeavesTheHostUntouched() throws Exception {
    Run run = executor("nonsense", Map.of(), "python3", script().toString(), "4000", "3600",
        input.toString());
    assertEquals(0, run.exit(), run.stderr());
    assertTrue(run.stderr().startsWith("forge-agent: agent start-up failed"), run.stderr());
  }

  /** Runs {@link io.forge.hosts.SpecExecutor} with the agent; returns stdout. */
  String specHost(String agentArgs, String mode, String repeat) throws Exception {
    Process p = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agentJar() + "=" + agentArgs, "-cp", System.getProperty("java.class.path"),
        io.forge.hosts.SpecExecutor.class.getName(), mode, script().toString(), repeat)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void aRecordSpecIsFoundByComponentNameAndReplacedByARewrittenCopy() throws Exception {
    specHost("home=" + home, "spec", "3");
    String out = specHost("home=" + home + ",mode=enforce", "spec", "1");
    Matcher m = Pattern.compile("spec memory=(\\d+) timeout=([0-9.]+)").matcher(out);
    assertTrue(m.find(), out);
    assertNotEquals("4000", m.group(1), "the record's memory limit was rewritten: " + out);
    assertEquals("60.0", m.group(2), "and its timeout");
    assertEquals(4, spooled().size());
    assertTrue(spooled().stream().allMatch(e -> e.run().analysisId().equals("wordfreq.py")));
  }

  @Test
  void aBeanWithItsOwnNamesIsMappedByConfigurationAndRewrittenThroughItsSetter()
      throws Exception {
    String args = "home=" + home + ",methods=io.forge.hosts.SpecExecutor#execute"
        + ",map.script=code,map.runtime=lang,map.memory_limit_mb=ramMb";
    specHost(args, "request", "3");
    String out = specHost(args + ",mode=enforce", "request", "1");
    Matcher m = Pattern.compile("request ram=(\\d+)").matcher(out);
    assertTrue(m.find(), out);
    int ram = Integer.parseInt(m.group(1));
    assertTrue(ram < 4000 && ram > 30, "ramMb set from the history of 30 MB runs: " + out);
    List<Spool.Entry> rows = spooled();
    assertEquals(4, rows.size());
    for (Spool.Entry e : rows) {
      // Regression: a process of ~30 ms ended before the first poll and was recorded as 0 MB.
      assertTrue(e.settlement().actual().peakRssMb() >= 30, "30 MB job: " + e.settlement());
    }
    assertEquals(io.forge.model.ScriptText.Status.OK,
        rows.get(0).run().features().script().status(), "the code was read as script");
    assertTrue(rows.get(0).run().analysisId().matches("SpecExecutor#execute [0-9a-f]{12}"),
        "named from the method and its code: " + rows.get(0).run().analysisId());
  }

  /** Writes a job that holds (its input's size in KB) MB for half a second. */
  Path allocator() throws IOException {
    Path script = dir.resolve("alloc.py");
    Files.writeString(script, String.join("\n",
        "import os, sys, time",
        "mb = os.path.getsize(sys.argv[1]) // 1024",
        "block = b'\\x01' * (mb * 1024 * 1024)",
        "time.sleep(0.5)",
        "print(len(block) // (1024 * 1024), 'MB held')", ""));
    return script;
  }

  /** Inputs whose size in KB is the number of MB the allocator holds. */
  List<Path> sizedInputs(int... megabytes) throws IOException {
    List<Path> inputs = new ArrayList<>();
    for (int mb : megabytes) {
      Path p = dir.resolve("size-" + mb + ".bin");
      Files.write(p, new byte[mb * 1024]);
      inputs.add(p);
    }
    return inputs;
  }

  /** Runs {@link io.forge.hosts.ConcurrentExecutor} under the agent; checks each call's peak. */
  void concurrentCallsAreMeasuredEachOnItsOwn(Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agentJar() + "=home=" + home, "-cp",
        System.getProperty("java.class.path"), io.forge.hosts.ConcurrentExecutor.class.getName(),
        "python3", allocator().toString()));
    int[] sizes = {20, 160, 60};
    sizedInputs(sizes).forEach(p -> command.add(p.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals(3, out.lines().filter(l -> l.equals("done exit=0")).count(), out);
    List<Spool.Entry> rows = spooled();
    assertEquals(3, rows.size());
    for (Spool.Entry e : rows) {
      double mb = Math.round(e.run().features().inputTotalMb() * 1024);
      double peak = e.settlement().actual().peakRssMb();
      assertTrue(peak >= mb && peak < mb + 40,
          "the " + mb + " MB call measured " + peak + " MB (" + env + ")");
    }
  }

  @Test
  void concurrentCallsOfDifferentSizesAreMeasuredEachOnItsOwn() throws Exception {
    concurrentCallsAreMeasuredEachOnItsOwn(Map.of());
  }

  @Test
  void concurrentCallsAreMeasuredEachOnItsOwnAlsoWithoutCgroups() throws Exception {
    concurrentCallsAreMeasuredEachOnItsOwn(Map.of("FORGE_ENFORCEMENT", "watchdog"));
  }

  @Test
  void forgeLaunchAttachLoadsTheAgentIntoARunningJvm() throws Exception {
    Path go = dir.resolve("go");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dforge.example.repeat=2", "-Dforge.example.await=" + go,
        "-cp", executorClasspath(), ExampleExecutor.class.getName(),
        "python3", script().toString(), "4000", "3600", input.toString());
    Path out = dir.resolve("attach.out");
    Process executor = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(dir.resolve("attach.err").toFile()).start();
    for (int i = 0; i < 200 && !Files.readString(out).contains("waiting"); i++) {
      Thread.sleep(50);
    }
    Path launcherJar = Path.of(System.getProperty("forge.launch.jar"));
    ProcessBuilder attachCommand = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        launcherJar.toString(), "attach", Long.toString(executor.pid()), "--agent-args",
        "home=" + home); // no --agent: found where the build put it (regression)
    attachCommand.environment().put("XDG_CACHE_HOME",
        Path.of("target", "it-cache").toAbsolutePath().toString()); // not the user's ~/.cache
    Process attach = attachCommand.redirectErrorStream(true).start();
    String attachOutput = new String(attach.getInputStream().readAllBytes());
    assertTrue(attach.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, attach.exitValue(), attachOutput);
    Files.writeString(go, "go");
    assertTrue(executor.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, executor.exitValue(), Files.readString(dir.resolve("attach.err")));
    List<Spool.Entry> rows = spooled();
    assertEquals(2, rows.size(), "both calls after the attach are planned");
    for (Spool.Entry e : rows) {
      assertEquals(Outcome.OK, e.settlement().outcome());
      // Regression: attached, the agent found no parameter by name (roles found: []).
      assertEquals("wordfreq.py", e.run().analysisId(), "the script argument, found by name");
      assertEquals(1, e.run().features().inputCount(), "the input argument, found by name");
      assertTrue(e.settlement().actual().peakRssMb() > 5, e.settlement().toString());
    }
  }

  /** A third-party executor (commons-exec) starting three python3 jobs under the agent. */
  private Process commonsExec(String agentArgs) throws IOException {
    return new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agentJar() + "=" + agentArgs,
        "-cp", System.getProperty("java.class.path"), CommonsExecProgram.class.getName(), "3",
        "python3", script().toString(), input.toString())).redirectErrorStream(true).start();
  }

  /** The pid and output of {@link #commonsExec}, once it has run its three jobs successfully. */
  private record Executed(long pid, String output) {}

  private Executed threeCommonsExecProcesses(String agentArgs) throws Exception {
    Process p = commonsExec(agentArgs);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    assertEquals(3, output.lines().filter(l -> l.equals("commons-exec exit=0")).count(), output);
    return new Executed(p.pid(), output);
  }

  @Test
  void processesTruePlansEveryProcessOfAThirdPartyExecutor() throws Exception {
    String output = threeCommonsExecProcesses("home=" + home + ",mode=enforce,processes=true")
        .output();
    assertTrue(output.contains("\t"), "the job's own output still reaches the host: " + output);

    List<Spool.Entry> rows = new ArrayList<>(spooled());
    rows.sort(java.util.Comparator.comparing(e -> e.run().predictedAt()));
    assertEquals(3, rows.size(), output);
    for (Spool.Entry e : rows) {
      assertEquals("wordfreq.py", e.run().analysisId());
      assertEquals(Outcome.OK, e.settlement().outcome(), e.toString());
      assertTrue(e.settlement().actual().peakRssMb() > 5, e.settlement().toString());
      assertTrue(e.run().command().startsWith("python3 "), "the original command is recorded");
    }
    assertEquals(8192.0, rows.get(0).run().memoryLimitMb(), "no history yet: the static slot");
    double cap = rows.get(2).run().memoryLimitMb();
    assertTrue(cap < 8192 && cap > rows.get(0).settlement().actual().peakRssMb(),
        "later runs are capped from their history: " + cap);
    assertTrue(rows.get(2).run().mechanism().startsWith("cgroup")
        || rows.get(2).run().mechanism().equals("watchdog"), rows.get(2).run().mechanism());
  }

  /**
   * Regression: with a home it cannot write, every process start left one cgroup behind.
   * Failing open means the host's process starts exactly as without Forge.
   */
  @Test
  void processesWhoseRunCannotBeRecordedStartAsWithoutForgeAndLeaveNoCgroup() throws Exception {
    long pid = threeCommonsExecProcesses(
        "home=/proc/forge-cannot-live-here,mode=enforce,processes=true").pid();
    io.forge.launcher.enforce.CgroupMounts mounts =
        io.forge.launcher.enforce.CgroupMounts.detect();
    List<Path> parents = new ArrayList<>(mounts.v1().values());
    mounts.v2().ifPresent(parents::add);
    List<String> left = new ArrayList<>();
    for (Path parent : parents) {
      String[] children = parent.toFile().list();
      for (String child : children == null ? new String[0] : children) {
        if (child.startsWith("forge-") && child.contains("-" + pid + "-")) {
          left.add(parent.resolve(child).toString());
        }
      }
    }
    assertEquals(List.of(), left, "cgroups the agent's JVM left behind");
  }

  @Test
  void theAgentJarHoldsOnlyForgePackages() throws Exception {
    try (JarFile jar = new JarFile(agentJar().toFile())) {
      List<String> foreign = jar.stream()
          .map(e -> e.getName())
          .filter(n -> !n.startsWith("io/forge/") && !n.startsWith("META-INF/") && !n.equals("io/"))
          .collect(Collectors.toList());
      assertEquals(List.of(), foreign);
      assertTrue(jar.stream().anyMatch(e -> e.getName().startsWith(
          "io/forge/agent/shaded/bytebuddy/")), "ByteBuddy relocated");
      assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("META-INF/versions/")));
      String manifest = new String(jar.getInputStream(jar.getEntry("META-INF/MANIFEST.MF"))
          .readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(manifest.contains("Premain-Class: io.forge.agent.ForgeAgent"));
      assertTrue(manifest.contains("Agent-Class: io.forge.agent.ForgeAgent"));
    }
  }
}
