package io.forge.launcher.enforce;

import io.forge.launcher.measure.ProcFs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where this process sits in the cgroup hierarchies: for each v1 controller and for the v2
 * tree, the directory of this process's own cgroup. Parsed from {@code /proc/self/mountinfo}
 * and {@code /proc/self/cgroup}.
 *
 * @param v1 own cgroup directory per v1 controller ({@code memory}, {@code cpuacct})
 * @param v2 own cgroup directory in the v2 (unified) tree, if mounted
 */
public record CgroupMounts(Map<String, Path> v1, Optional<Path> v2) {

  /** Reads this process's cgroup placement; empty maps when there is none. */
  public static CgroupMounts detect() {
    String mountinfo = ProcFs.read(Path.of("/proc/self/mountinfo")).orElse("");
    String cgroup = ProcFs.read(Path.of("/proc/self/cgroup")).orElse("");
    return parse(mountinfo, cgroup);
  }

  /** Combines a mountinfo text and a {@code /proc/self/cgroup} text. */
  static CgroupMounts parse(String mountinfo, String procSelfCgroup) {
    Map<String, String> v1Paths = new HashMap<>();
    String v2Path = null;
    for (String line : procSelfCgroup.split("\n")) {
      String[] f = line.split(":", 3);
      if (f.length != 3) {
        continue;
      }
      if (f[0].equals("0") && f[1].isEmpty()) {
        v2Path = f[2].trim();
      } else {
        for (String controller : f[1].split(",")) {
          v1Paths.put(controller, f[2].trim());
        }
      }
    }
    Map<String, Path> v1 = new HashMap<>();
    Path v2 = null;
    for (String line : mountinfo.split("\n")) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3) {
        continue;
      }
      String root = unescape(pre[3]);
      String mountPoint = unescape(pre[4]);
      String fsType = post[0];
      if (fsType.equals("cgroup2") && v2Path != null && v2 == null) {
        v2 = own(mountPoint, root, v2Path);
      } else if (fsType.equals("cgroup")) {
        List<String> options = Arrays.asList(post[2].split(","));
        for (String controller : List.of("memory", "cpuacct")) {
          if (options.contains(controller) && v1Paths.containsKey(controller)) {
            v1.putIfAbsent(controller, own(mountPoint, root, v1Paths.get(controller)));
          }
        }
      }
    }
    return new CgroupMounts(Map.copyOf(v1), Optional.ofNullable(v2));
  }

  /** The mount point plus the process's path relative to the mount's root. */
  private static Path own(String mountPoint, String mountRoot, String cgroupPath) {
    String relative = cgroupPath;
    if (!mountRoot.equals("/") && cgroupPath.startsWith(mountRoot)) {
      relative = cgroupPath.substring(mountRoot.length());
    }
    Path p = Path.of(mountPoint);
    for (String part : relative.split("/")) {
      if (!part.isEmpty()) {
        p = p.resolve(part);
      }
    }
    return p;
  }

  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")
        .replace("\\134", "\\");
  }
}
