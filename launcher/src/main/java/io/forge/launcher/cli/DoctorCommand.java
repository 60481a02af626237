package io.forge.launcher.cli;

import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.enforce.Enforcement;
import io.forge.launcher.measure.ProcFs;
import io.forge.launcher.policy.HostBudget;
import io.forge.launcher.policy.Limits;
import io.forge.model.Json;
import io.forge.model.store.StoreLocation;
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
    footer = ExitCodes.DOCTOR_FOOTER)
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
    try (Enforcement probe =
        Enforcement.prepare("doctor-" + io.forge.model.store.NewRun.newRunId().substring(0, 8),
            new Limits(64.0, null, "probe"), mounts,
            Enforcement.Preference.parse(parent.env().get("FORGE_ENFORCEMENT")))) {
      report.put("enforcement", probe.mechanism());
      report.put("enforcement_notes", probe.notes());
    } catch (RuntimeException e) {
      report.put("enforcement", "watchdog");
      report.put("enforcement_notes", java.util.List.of(e.getMessage()));
    }
    report.put("measurement_proc", ProcFs.available());
    report.put("signal_origin", io.forge.launcher.run.JobRunner.signalOrigin());
    HostBudget budget = HostBudget.detect(parent.env());
    report.put("host_budget_mb", Math.round(budget.budgetMb()));
    report.put("host_budget_source", budget.source());
    StoreLocation location = StoreLocation.fromEnvironment(parent.env());
    report.put("forge_home", location.home().toString());
    report.put("database", location.describe());
    report.put("mode", parent.env().getOrDefault("FORGE_MODE", "dry-run"));
    try {
      var info = parent.forge().models().latestInfo();
      report.put("model", info.map(i -> "v" + i.version() + " trained " + i.trainedAt() + " on "
          + i.rowCount() + " runs").orElse("none yet"));
      report.put("measured_runs", parent.forge().history().measuredCount());
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
