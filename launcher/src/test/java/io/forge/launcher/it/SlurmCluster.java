package io.forge.launcher.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Slurm cluster for a test class, from the distribution's {@code slurm-wlm}
 * ({@code .ci/run} installs it): {@code slurmctld} and {@code slurmd} on loopback, on free
 * ports, with their state, spool, logs and configuration in a temporary folder —
 * {@code select/cons_tres} with {@code CR_Core_Memory}, {@code proctrack/linuxproc}, no
 * accounting daemon, {@code auth/none} (nothing to share between the daemons but this host).
 * Register it with {@code @RegisterExtension static SlurmCluster slurm = new SlurmCluster();};
 * it skips the class, saying why, where Slurm is not installed or the tests do not run as root
 * (slurmd starts jobs as their owner).
 */
final class SlurmCluster implements BeforeAllCallback, AfterAllCallback {

  /** The memory the node offers, MB: small enough for any test machine. */
  static final int NODE_MB = 500;

  private Path dir;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/slurmctld"))
        && Files.isExecutable(Path.of("/usr/sbin/slurmd")),
        "Slurm is not installed (Debian: apt-get install slurm-wlm)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "slurmd needs root to start jobs");
    dir = Files.createTempDirectory(Path.of("/tmp"), "forge-slurm-");
    for (String sub : List.of("state", "spool", "log")) {
      Files.createDirectories(dir.resolve(sub));
    }
    // Both ports chosen while both sockets are open, so that they differ.
    try (ServerSocket ctld = new ServerSocket(0); ServerSocket d = new ServerSocket(0)) {
      Files.writeString(conf(), config(dir, ctld.getLocalPort(), d.getLocalPort(),
          Runtime.getRuntime().availableProcessors()));
    }
    run("/usr/sbin/slurmctld", "-f", conf().toString());
    run("/usr/sbin/slurmd", "-f", conf().toString(), "-N", "forge1");
    for (int i = 0; i < 150; i++) {
      String state = client("sinfo", "--noheader", "--format=%t").trim();
      if (state.equals("idle")) {
        return;
      }
      Thread.sleep(200);
    }
    String why = "the Slurm node did not come up: " + client("sinfo", "--noheader",
        "--format=%t %E") + "; slurmd's log ends: " + tail(dir.resolve("log/slurmd.log"))
        + "; slurmctld's: " + tail(dir.resolve("log/slurmctld.log"));
    afterAll(context);
    throw new IllegalStateException(why);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (dir == null) {
      return;
    }
    // Jobs first (slurmstepd and the jobs outlive the daemons), then the daemons.
    client("scancel", "--user=" + System.getProperty("user.name"));
    for (int i = 0; i < 150 && client("squeue", "--noheader", "--format=%i").lines()
        .anyMatch(l -> l.strip().matches("\\d+")); i++) {
      Thread.sleep(200);
    }
    for (String daemon : List.of("slurmd", "slurmctld")) {
      Path pid = dir.resolve(daemon + ".pid");
      if (Files.exists(pid)) {
        long p = Long.parseLong(Files.readString(pid).trim());
        ProcessHandle.of(p).ifPresent(h -> {
          h.destroy();
          h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
      }
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
    dir = null;
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(none)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  /** The configuration file, for {@code SLURM_CONF}. */
  Path conf() {
    return dir.resolve("slurm.conf");
  }

  /** Runs a Slurm client command against this cluster and returns its stdout. */
  String client(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SLURM_CONF", conf().toString());
    Path out = Files.createTempFile(dir, "client", ".txt");
    Process p = pb.redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " gave no answer in 60 s");
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return text;
  }

  private static String config(Path dir, int ctldPort, int dPort, int cpus) throws IOException {
    // slurmctld runs only where its host name is SlurmctldHost's (the kernel's, as hostname -s).
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().split("\\.")[0];
    return String.join("\n",
        "ClusterName=forgetest",
        "SlurmctldHost=" + host + "(127.0.0.1)",
        "SlurmctldPort=" + ctldPort,
        "SlurmdPort=" + dPort,
        "SlurmUser=root",
        "AuthType=auth/none",
        "CredType=cred/none",
        "StateSaveLocation=" + dir.resolve("state"),
        "SlurmdSpoolDir=" + dir.resolve("spool"),
        "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
        "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
        "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
        "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
        "SchedulerType=sched/builtin",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core_Memory",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/none",
        "MpiDefault=none",
        "ReturnToService=2",
        "MinJobAge=300",
        "KillWait=5",
        "NodeName=forge1 NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + NODE_MB
            + " State=UNKNOWN",
        "PartitionName=forge Nodes=forge1 Default=YES MaxTime=INFINITE State=UP",
        "PartitionName=short Nodes=forge1 MaxTime=5 State=UP",
        "");
  }

  private void run(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log/start.log").toFile());
    pb.environment().put("SLURM_CONF", conf().toString());
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ": "
          + Files.readString(dir.resolve("log/start.log")));
    }
  }
}
