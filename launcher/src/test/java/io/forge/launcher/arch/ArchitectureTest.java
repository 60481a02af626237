package io.forge.launcher.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout DESIGN.md and the README promise, checked on every build over the main sources of
 * all modules: modules depend one way (agent on launcher on model), no package depends on a
 * package that depends back on it (directly or round a longer loop), and no class grows past
 * what one idea needs.
 */
class ArchitectureTest {

  /** Lines a main source file may have: "classes of roughly 50–300 lines". */
  static final int MAX_LINES = 320;

  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.forge(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  /** Main source files by path, under the repository root. */
  static final Map<Path, String> SOURCES = new TreeMap<>();

  @BeforeAll
  static void read() throws IOException {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    for (String module : List.of("model", "launcher", "agent", "examples")) {
      Path main = repo.resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(main)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          SOURCES.put(repo.relativize(f), Files.readString(f));
        }
      }
    }
    assertTrue(SOURCES.size() > 100, "read " + SOURCES.size() + " sources");
  }

  /** Package → packages its code names (imports and qualified names; comments excluded). */
  static Map<String, Set<String>> dependencies() {
    Map<String, Set<String>> deps = new TreeMap<>();
    for (String source : SOURCES.values()) {
      Matcher p = PACKAGE.matcher(source);
      assertTrue(p.find());
      String pkg = p.group(1);
      String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
      Matcher m = REFERENCE.matcher(code);
      Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
      while (m.find()) {
        if (!m.group(1).equals(pkg)) {
          out.add(m.group(1));
        }
      }
    }
    return deps;
  }

  @Test
  void modulesDependOneWay() {
    List<String> wrong = new ArrayList<>();
    dependencies().forEach((pkg, deps) -> {
      for (String d : deps) {
        boolean back = (pkg.startsWith("io.forge.model") && !d.startsWith("io.forge.model"))
            || (pkg.startsWith("io.forge.launcher") && d.startsWith("io.forge.agent"))
            || (pkg.startsWith("io.forge.examples") && !d.startsWith("io.forge.examples"));
        if (back) {
          wrong.add(pkg + " -> " + d);
        }
      }
    });
    assertEquals(List.of(), wrong);
  }

  @Test
  void noPackageDependsOnAPackageThatDependsBackOnIt() {
    Map<String, Set<String>> deps = dependencies();
    List<List<String>> cycles = new Tarjan(deps).cycles();
    assertEquals(List.of(), cycles, "package cycles");
  }

  @Test
  void noMainClassGrowsPastWhatOneIdeaNeeds() {
    Map<String, Long> long_ = new LinkedHashMap<>();
    SOURCES.forEach((path, text) -> {
      long lines = text.lines().count();
      if (lines > MAX_LINES) {
        long_.put(path.toString(), lines);
      }
    });
    assertEquals(Map.of(), long_, "files over " + MAX_LINES + " lines");
  }

  /** Strongly connected components of more than one package: the dependency cycles. */
  private static final class Tarjan {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new java.util.ArrayDeque<>();
    private final Set<String> onStack = new java.util.HashSet<>();
    private final List<List<String>> cycles = new ArrayList<>();
    private int next;

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    List<List<String>> cycles() {
      for (String v : graph.keySet()) {
        if (!index.containsKey(v)) {
          visit(v);
        }
      }
      return cycles;
    }

    private void visit(String v) {
      index.put(v, next);
      low.put(v, next++);
      stack.push(v);
      onStack.add(v);
      for (String w : graph.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> component = new ArrayList<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        if (component.size() > 1) {
          component.sort(null);
          cycles.add(component);
        }
      }
    }
  }
}
