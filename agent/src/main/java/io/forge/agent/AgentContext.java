package io.forge.agent;

import io.forge.launcher.config.Settings;
import io.forge.launcher.enforce.CgroupMounts;
import io.forge.launcher.run.JobPlanner;
import io.forge.model.history.RunRecorder;
import io.forge.model.snapshot.ReloadingPredictor;
import io.forge.model.spool.Spool;

/**
 * What the agent's planners share, made once per JVM: the settings, one predictor over the
 * home's snapshot and spool (so a run settled by a call is seen by the next process and the
 * other way round), the recorder into the spool, and this JVM's cgroup placement.
 *
 * @param settings the environment as read at start-up, with the agent's own arguments
 * @param predictor the predictor over the home
 * @param recorder records and settles rows in the spool (the agent never opens the database)
 * @param mounts where this JVM sits in the cgroup hierarchies
 */
record AgentContext(Settings settings, ReloadingPredictor predictor, RunRecorder recorder,
    CgroupMounts mounts) {

  /** The context of a configured agent. */
  static AgentContext of(Settings settings) {
    ReloadingPredictor predictor =
        new ReloadingPredictor(settings.home(), () -> { }, settings.clock());
    return new AgentContext(settings, predictor, predictor.recorder(new Spool(settings.home())),
        CgroupMounts.detect());
  }

  /** A planner over the current snapshot (cheap: made per job). */
  JobPlanner planner() {
    return JobPlanner.of(predictor.current(), settings);
  }
}
