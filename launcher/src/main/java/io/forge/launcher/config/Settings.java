package io.forge.launcher.config;

import io.forge.launcher.enforce.Enforcers;
import io.forge.launcher.policy.HostBudget;
import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.model.db.StoreLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything Forge reads from its environment, read once and handed to whatever needs it, with
 * the clock every timestamp comes from (tests inject their own):
 *
 * <ul>
 *   <li>{@code FORGE_HOME}, {@code FORGE_DB_URL}, {@code FORGE_DB_USER}, {@code
 *       FORGE_DB_PASSWORD} — where the history lives ({@link StoreLocation});
 *   <li>{@code FORGE_MODE} — the mode when none is given (default {@code dry-run});
 *   <li>{@code FORGE_HOST_BUDGET_MB} — memory one job may have ({@link HostBudget});
 *   <li>{@code FORGE_SIZING}, {@code FORGE_TARGET_FAILURE_RATE}, {@code FORGE_MEMORY_MARGIN}
 *       — the sizing policy's rule, target and margin ({@link SizingPolicy});
 *   <li>{@code FORGE_ENFORCEMENT} — a forced enforcement mechanism.
 * </ul>
 *
 * @param store the history database and the Forge home
 * @param defaultMode the mode when a command or request names none
 * @param hostBudget memory one job may have
 * @param policy the sizing policy
 * @param enforcement the enforcement mechanism wanted
 * @param clock the time
 */
public record Settings(StoreLocation store, Mode defaultMode, HostBudget hostBudget,
    SizingPolicy policy, Enforcers.Preference enforcement, Clock clock) {

  /**
   * Reads the environment.
   *
   * @throws IllegalArgumentException naming the variable whose value is not valid
   */
  public static Settings from(Map<String, String> env, Clock clock) {
    String mode = env.get("FORGE_MODE");
    return new Settings(StoreLocation.fromEnvironment(env),
        mode == null || mode.isBlank() ? Mode.DRY_RUN : Mode.parse(mode),
        HostBudget.detect(env), SizingPolicy.fromEnvironment(env),
        Enforcers.Preference.parse(env.get("FORGE_ENFORCEMENT")), clock);
  }

  /** The Forge home: spool, snapshot, and the embedded database. */
  public Path home() {
    return store.home();
  }

  /** The same settings with another default mode (an agent's {@code mode=}). */
  public Settings withDefaultMode(Mode mode) {
    return new Settings(store, mode, hostBudget, policy, enforcement, clock);
  }

  /** The same settings over another home's embedded database (an agent's {@code home=}). */
  public Settings withHome(Path home) {
    return new Settings(StoreLocation.embedded(home), defaultMode, hostBudget, policy,
        enforcement, clock);
  }
}
