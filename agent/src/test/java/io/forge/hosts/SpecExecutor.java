package io.forge.hosts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A host whose planned methods take a spec object instead of separate arguments: a record
 * ({@code runAnalysis(Spec)}, found by component names) and a bean whose names are not the
 * defaults ({@code execute(Request)}, found through {@code map.*} and a {@code methods}
 * pattern). Each prints the limits it received. Outside {@code io.forge.agent}, which the agent
 * never instruments. Arguments: {@code spec|request SCRIPT REPEAT}.
 */
public final class SpecExecutor {

  /** A record spec: immutable, so the agent must pass a rewritten copy. */
  public record Spec(String script, String runtime, List<String> inputs, long memoryLimitMb,
      double timeoutSeconds) {}

  /** A bean request with its own names: {@code code}, {@code lang}, {@code ramMb}. */
  public static final class Request {
    private String code;
    private String lang = "python3";
    private int ramMb = 4000;

    public String getCode() {
      return code;
    }

    public void setCode(String code) {
      this.code = code;
    }

    public String getLang() {
      return lang;
    }

    public int getRamMb() {
      return ramMb;
    }

    public void setRamMb(int ramMb) {
      this.ramMb = ramMb;
    }
  }

  /** Runs the spec's script. */
  public int runAnalysis(Spec spec) throws IOException, InterruptedException {
    System.out.println("spec memory=" + spec.memoryLimitMb() + " timeout="
        + spec.timeoutSeconds());
    List<String> command = new ArrayList<>(List.of(spec.runtime(), spec.script()));
    command.addAll(spec.inputs());
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  /** Runs the request's code. */
  public int execute(Request request) throws IOException, InterruptedException {
    System.out.println("request ram=" + request.getRamMb());
    return new ProcessBuilder(request.getLang(), "-c", request.getCode()).inheritIO().start()
        .waitFor();
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int repeat = Integer.parseInt(args[2]);
    for (int i = 0; i < repeat; i++) {
      if (args[0].equals("spec")) {
        new SpecExecutor().runAnalysis(new Spec(args[1], "python3", List.of(), 4000, 3600));
      } else {
        Request r = new Request();
        r.setCode("x = bytearray(30 * 1024 * 1024); print(len(x))");
        new SpecExecutor().execute(r);
      }
    }
  }
}
