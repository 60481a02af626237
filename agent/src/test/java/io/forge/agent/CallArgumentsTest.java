package io.forge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the agent finds a job's roles among a call's arguments, and writes limits back. */
class CallArgumentsTest {

  /** Parameters named as the defaults expect (compiled with -parameters). */
  static final class Executor {
    public int run_analysis(String script, String runtime, List<String> inputs,
        int memoryLimitMb, long timeoutSeconds) {
      return 0;
    }

    public int runAnalysis(Spec spec) {
      return 0;
    }

    public int execute(Request request) {
      return 0;
    }
  }

  /** A record spec: replaced by a copy when a limit is rewritten. */
  record Spec(String scriptPath, String language, double memoryMb, Integer timeoutSec) {}

  /** A bean with names of its own, found through {@code map.*}. */
  public static final class Request {
    private String code = "print(1)";
    private int ramMb = 4000;

    public String getCode() {
      return code;
    }

    public int getRamMb() {
      return ramMb;
    }

    public void setRamMb(int ramMb) {
      this.ramMb = ramMb;
    }
  }

  private static Method method(String name) {
    for (Method m : Executor.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void parametersAreFoundByTheirNamesAndLimitsWrittenInTheirOwnTypes() throws Exception {
    Object[] args = {"/data/cluster.py", "python3", List.of("/data/cells.csv"), 4000, 3600L};
    CallArguments found = CallArguments.of(method("run_analysis"), args, Map.of());
    assertEquals("/data/cluster.py", found.value("script").orElseThrow());
    assertEquals("python3", found.value("runtime").orElseThrow());
    assertEquals(List.of("/data/cells.csv"), found.value("inputs").orElseThrow());
    CallArguments.Slot memory = found.slot("memory_limit_mb").orElseThrow();
    Object[] rewritten = args.clone();
    memory.set(rewritten, CallArguments.convert(300.4, memory.type()));
    CallArguments.Slot timeout = found.slot("timeout_seconds").orElseThrow();
    timeout.set(rewritten, CallArguments.convert(59.5, timeout.type()));
    assertEquals(301, rewritten[3], "an int limit is rounded up");
    assertEquals(60L, rewritten[4]);
    assertEquals(4000, args[3], "the caller's own array is untouched");
  }

  @Test
  void aRecordSpecIsReadByComponentAndRewrittenAsACopy() throws Exception {
    Spec spec = new Spec("/data/de.R", "Rscript", 4000, 3600);
    Object[] args = {spec};
    CallArguments found = CallArguments.of(method("runAnalysis"), args, Map.of());
    assertEquals("/data/de.R", found.value("script").orElseThrow());
    assertEquals("Rscript", found.value("runtime").orElseThrow(), "language is a runtime name");
    CallArguments.Slot memory = found.slot("memory_limit_mb").orElseThrow();
    memory.set(args, CallArguments.convert(512, memory.type()));
    assertEquals(new Spec("/data/de.R", "Rscript", 512.0, 3600), args[0]);
    assertEquals(4000.0, spec.memoryMb(), "the original record is unchanged");
  }

  @Test
  void aBeanWithItsOwnNamesIsMappedByConfigurationAndWrittenThroughItsSetter()
      throws Exception {
    Request r = new Request();
    Object[] args = {r};
    CallArguments unmapped = CallArguments.of(method("execute"), args, Map.of());
    assertTrue(unmapped.slot("memory_limit_mb").isEmpty(), "ramMb is no default name");
    CallArguments found = CallArguments.of(method("execute"), args,
        Map.of("script", "code", "memory_limit_mb", "ramMb"));
    assertEquals("print(1)", found.value("script").orElseThrow());
    CallArguments.Slot ram = found.slot("memory_limit_mb").orElseThrow();
    ram.set(args, CallArguments.convert(64.2, ram.type()));
    assertEquals(65, r.getRamMb());
    assertThrows(IllegalArgumentException.class, () -> CallArguments.convert(1, String.class));
  }
}
