package io.forge.launcher.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** When the launcher leaves a stop signal to the job, which already has it. */
class SignalOriginTest {

  private static final int SI_USER = 0;

  @Test
  void theProcessGroupAndTheTerminalsForegroundGroupComeFromStat() {
    String stat = "4242 (java (launcher)) S 1000 4242 999 34816 4242 4194560 100 0 0 0 12 3";
    assertArrayEquals(new long[] {4242, 4242}, SignalOrigin.groupAndForeground(stat));
    String noTerminal = "77 (sh) S 1 77 77 0 -1 4194560 1 0 0 0 0 0";
    assertArrayEquals(new long[] {77, -1}, SignalOrigin.groupAndForeground(noTerminal));
    assertArrayEquals(new long[] {-1, -1}, SignalOrigin.groupAndForeground("garbage"));
  }

  @Test
  void aCtrlCFromTheTerminalAlreadyReachedAJobInTheLaunchersGroup() {
    SignalOrigin.Standing foreground = new SignalOrigin.Standing(4242, true);
    assertTrue(SignalOrigin.jobAlreadyHasIt("INT", OptionalInt.of(SignalOrigin.SI_KERNEL),
        foreground, 4242));
    assertFalse(SignalOrigin.jobAlreadyHasIt("INT", OptionalInt.of(SI_USER), foreground, 4242),
        "a kill aimed at the launcher alone is passed on");
    assertFalse(SignalOrigin.jobAlreadyHasIt("INT", OptionalInt.of(SignalOrigin.SI_KERNEL),
        foreground, 5000), "a job in a group of its own got nothing from the terminal");
    assertFalse(SignalOrigin.jobAlreadyHasIt("INT", OptionalInt.of(SignalOrigin.SI_KERNEL),
        foreground, -1), "a job whose group cannot be read is signalled");
  }

  @Test
  void withoutTheHelperTheTerminalsForegroundDecides() {
    assertTrue(SignalOrigin.jobAlreadyHasIt("INT", OptionalInt.empty(),
        new SignalOrigin.Standing(4242, true), 4242));
    assertFalse(SignalOrigin.jobAlreadyHasIt("INT", OptionalInt.empty(),
        new SignalOrigin.Standing(4242, false), 4242), "no terminal: the signal was a kill");
    assertFalse(SignalOrigin.jobAlreadyHasIt("TERM", OptionalInt.empty(),
        new SignalOrigin.Standing(4242, true), 4242), "no terminal sends TERM: passed on");
  }
}
