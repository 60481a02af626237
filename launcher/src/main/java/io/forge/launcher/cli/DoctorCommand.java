package io.forge.launcher.cli;

import io.forge.launcher.config.Settings;
import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcer;
import io.forge.launcher.enforce.Enforcers;
import io.forge.launcher.enforce.Mechanism;
import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.policy.Limits;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.run.ExitCodes;
import io.forge.launcher.run.JobRunner;
import io.forge.model.Json;
import io.forge.model.db.Patience;
import io.forge.model.history.NewRun;
import io.forge.model.service.ForgeModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code forge-launch doctor}: what this host offers and where Forge keeps its data. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Show the enforcement and measurement mechanisms this host offers and where the"
        + " database and model live.",
    footer = HelpFooters.DOCTOR_FOOTER)
final class DoctorCommand implements Callable<Integer> {

  @ParentCommand private ForgeLaunch parent;

  @Option(names = "--json", description = "print JSON on stdout")
  boolean json;

  @Override
  public Integer call() {
    Map<String, Object> report = new LinkedHashMap<>();
    CgroupMounts mounts = CgroupMounts.detect();
    report.put("cgroup_v2_own", mounts.v2().map(Object::toString).orElse(null));
    report.put("cgroup_v1_memory_own",
        mounts.v1().containsKey("memory") ? mounts.v1().get("memory").toString() : null);
    Settings settings = parent.settings();
    try (Enforcer probe = Enforcers.create("doctor-" + NewRun.newRunId().substring(0, 8),
        new Limits(64.0, null, "probe"), mounts, settings.enforcement())) {
      report.put("enforcement", probe.mechanism().cliName());
      report.put("enforcement_notes", probe.notes());
    } catch (RuntimeException e) {
      report.put("enforcement", Mechanism.WATCHDOG.cliName());
      report.put("enforcement_notes", java.util.List.of(e.getMessage()));
    }
    report.put("measurement_proc", ProcFs.available());
    report.put("signal_origin", JobRunner.signalOrigin());
    report.put("dies_with_launcher", io.forge.launcher.run.ParentDeath.available()
        ? "yes (setpriv --pdeathsig)"
        : "no: setpriv (util-linux) missing; the next command's cgroup sweep stops the job");
    report.put("host_budget_mb", Math.round(settings.hostBudget().budgetMb()));
    report.put("host_budget_source", settings.hostBudget().source());
    report.put("forge_home", settings.home().toString());
    report.put("libraries", Launch.librariesInUse());
    report.put("database", settings.store().describe());
    String server = parent.env().get("FORGE_SERVER");
    if (server != null && !server.isBlank()) {
      report.put("server", server + " (" + ServerDelivery.reach(server) + ")");
    }
    if (io.forge.launcher.slurm.Slurm.installed()) {
      report.put("slurm", new io.forge.launcher.slurm.Slurm(5).reach());
    }
    report.put("mode", settings.defaultMode().cliName());
    SizingPolicy policy = settings.policy();
    report.put("sizing", policy.rule() == SizingPolicy.Rule.CALIBRATED
        ? policy.rule().cliName() + " (target first-attempt failure rate "
            + policy.targetFailureRate() + ")"
        : policy.rule().cliName() + " (margin " + policy.memoryMargin() + ")");
    try {
      // Whether the database answers, within seconds (a command's patience is a minute).
      ForgeModel forge = ForgeModel.open(settings.store(), settings.clock(), Patience.PROBE);
      forge.ingest();
      var info = forge.models().latestInfo();
      report.put("model", info.map(i -> "v" + i.version() + " trained " + i.trainedAt() + " on "
          + i.rowCount() + " runs").orElse("none yet"));
      report.put("measured_runs", forge.history().queries().measuredCount());
    } catch (RuntimeException e) {
      report.put("database_error", ForgeLaunch.oneLine(e));
    }
    if (json) {
      parent.out().println(Json.write(report));
    } else {
      report.forEach((k, v) -> parent.out().printf("%-22s %s%n", k + ":", v));
    }
    return report.containsKey("database_error") ? ExitCodes.FORGE_FAILURE : ExitCodes.OK;
  }
}
