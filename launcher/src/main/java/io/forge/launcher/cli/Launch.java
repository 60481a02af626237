package io.forge.launcher.cli;

import io.forge.launcher.run.ExitCodes;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.PermissionCollection;
import java.security.Permissions;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The entry point of {@code forge-launch.jar}.
 *
 * <p>The jar holds Forge's own classes at its top level and the libraries the other commands
 * use (picocli, Jackson, H2, Flyway, Smile, …: about 6 800 files) as one jar inside it,
 * {@value #LIBRARIES}. A JVM reads the whole index of every jar it opens, and reading that of
 * the libraries cost about 18 ms per start, more than the rest of a wrapped job's start-up
 * budget. So the libraries are unpacked once into a per-user cache and placed after Forge's own
 * classes in a class loader that opens a jar only when a class is not found before it: a
 * launch never opens them, a command that needs them (or a launch that then ingests its runs)
 * gets them transparently.
 */
public final class Launch {

  /** The libraries' jar inside {@code forge-launch.jar}. */
  public static final String LIBRARIES = "META-INF/forge/libraries.jar";

  /** The command line's real entry point, loaded through the libraries' class loader. */
  private static final String ENTRY = "io.forge.launcher.cli.ForgeLaunch";

  private Launch() {}

  /** Starts {@code forge-launch} with Forge's libraries reachable. */
  public static void main(String[] args) throws Throwable {
    WarmUp.begin();
    ClassLoader loader;
    try {
      loader = loader();
    } catch (IOException e) {
      System.err.println("forge: cannot unpack Forge's libraries into " + cacheDir() + ": "
          + e.getMessage() + " (set XDG_CACHE_HOME to a writable directory)");
      System.exit(ExitCodes.FORGE_FAILURE);
      return;
    }
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class.forName(ENTRY, true, loader).getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Prepares the JDK's process machinery on another core while the launch plans its job: the
   * first {@code ProcessHandle} or {@code ProcessBuilder} use initialises a reaper executor and
   * the lambda infrastructure, ~15 ms that would otherwise come between recording the run and
   * starting the job. Nothing is started; a command that starts no job loses a little CPU on
   * an otherwise idle core. (Loading Forge's own later classes the same way gained nothing
   * measurable.)
   */
  static final class WarmUp extends Thread {
    private WarmUp() {
      super("forge-warm-up");
      setDaemon(true);
    }

    static void begin() {
      if (Runtime.getRuntime().availableProcessors() > 1) {
        new WarmUp().start();
      }
    }

    @Override
    public void run() {
      try {
        ProcessHandle.current().info();
        Class.forName("java.lang.ProcessImpl", true, null);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // Only a head start: the launch does the same when it gets there.
      }
    }
  }

  /**
   * Starts {@code command} in the background, its output appended to {@code log}, and returns
   * once it runs: through a shell that leaves it there and exits at once — a child still
   * running when this JVM exits would hold the JVM up to 300 ms (HotSpot waits for the thread
   * that reaps it), and such a command outlives its starter on purpose.
   */
  static void detach(List<String> command, Path log) throws IOException {
    List<String> shell = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
        "\"$@\" </dev/null >>\"$0\" 2>&1 &", log.toString()));
    shell.addAll(command);
    Process p = new ProcessBuilder(shell)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How another launcher is started (a batch's jobs, a Slurm job's batch script): the
   * fast-start wrapper beside this jar when the build made one (its flags and class-data
   * archive live in that one script), else {@code java -jar}.
   */
  static List<String> command() {
    Path jar = Launch.ownLocation();
    if (jar == null) {
      throw new IllegalStateException("cannot tell where forge-launch.jar is");
    }
    Path wrapper = jar.resolveSibling("forge-launch");
    if (Files.isExecutable(wrapper) && !Files.isDirectory(wrapper)) {
      return List.of(wrapper.toString());
    }
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString());
  }

  /**
   * The jar or folder Forge's classes were loaded from, or null when that cannot be told (a
   * class loader that does not say).
   */
  public static Path ownLocation() {
    try {
      return Path.of(Launch.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Forge's classes followed by its unpacked libraries, or this class's own loader when Forge
   * does not run from a jar carrying them (tests, an IDE: the libraries are on the class path).
   */
  static ClassLoader loader() throws IOException {
    Path self = ownLocation();
    if (self == null || !Files.isRegularFile(self)) {
      return Launch.class.getClassLoader();
    }
    ZipFile jar = new ZipFile(self.toFile()); // shares the index the JVM already read
    ZipEntry entry = jar.getEntry(LIBRARIES);
    if (entry == null) {
      jar.close();
      return Launch.class.getClassLoader();
    }
    Path libraries = unpacked(jar, entry, cacheDir());
    return new Loader(jar, self.toUri().toURL(), libraries.toUri().toURL());
  }

  /**
   * A class loader over Forge's jar and its libraries. Forge's own classes are read straight
   * from the open jar: a {@link URLClassLoader} builds a URL, a resource and a manifest check
   * for every class, which with the hundred classes of a launch costs more than the job's own
   * start. Their protection domain names the jar, grants no permissions (without a security
   * manager none are checked) and the libraries, resources and everything else come through
   * the URL class path as usual.
   */
  private static final class Loader extends URLClassLoader {
    private final ZipFile jar;
    private final ProtectionDomain domain;

    Loader(ZipFile jar, URL self, URL libraries) {
      super(new URL[] {self, libraries}, ClassLoader.getPlatformClassLoader());
      this.jar = jar;
      this.domain = new ProtectionDomain(new CodeSource(self, (CodeSigner[]) null),
          new Permissions(), this, null);
    }

    /**
     * Forge's classes without asking the parent first: the JDK has none of them, and each
     * refusal is an exception with its stack trace.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("io.forge.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      ZipEntry entry = jar.getEntry(name.replace('.', '/').concat(".class"));
      if (entry == null) {
        return super.findClass(name);
      }
      byte[] bytes;
      try (InputStream in = jar.getInputStream(entry)) {
        long size = entry.getSize();
        if (size < 0) {
          bytes = in.readAllBytes();
        } else {
          bytes = new byte[(int) size];
          if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
            throw new IOException("truncated class file");
          }
        }
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
      return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** Forge's own resources come from its jar alone: a miss must not open the libraries. */
    @Override
    public URL findResource(String name) {
      if (name.startsWith("io/forge/") && jar.getEntry(name) == null) {
        return null;
      }
      return super.findResource(name);
    }

    @Override
    protected PermissionCollection getPermissions(CodeSource source) {
      return new Permissions();
    }
  }

  /**
   * Where this process loads the libraries from: the unpacked jar, or "class path" when Forge
   * does not run from its jar (for {@code doctor}).
   */
  static String librariesInUse() {
    // Not "instanceof Loader": this class, loaded again by that loader, sees its own copy.
    return Launch.class.getClassLoader() instanceof URLClassLoader loader
        && loader.getURLs().length == 2 ? loader.getURLs()[1].getPath() : "class path";
  }

  /**
   * The libraries' jar in {@code cache}, unpacked there first unless an earlier start did. The
   * file is named by the entry's checksum and size, so each build has its own and concurrent
   * starts each write a temporary file and move it into place whole.
   */
  static Path unpacked(ZipFile jar, ZipEntry entry, Path cache) throws IOException {
    Path target = cache.resolve("forge-libraries-" + Long.toHexString(entry.getCrc()) + "-"
        + entry.getSize() + ".jar");
    File file = target.toFile();
    if (file.length() == entry.getSize()) {
      return target;
    }
    Files.createDirectories(cache);
    Path partial = Files.createTempFile(cache, "forge-libraries-", ".partial");
    try {
      try (InputStream in = jar.getInputStream(entry)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (Files.size(partial) != entry.getSize()) {
        throw new IOException("unpacked " + Files.size(partial) + " bytes of "
            + entry.getSize());
      }
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }

  /**
   * Where the libraries are unpacked: {@code $XDG_CACHE_HOME/forge}, else
   * {@code ~/.cache/forge}.
   */
  static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "forge");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "forge");
  }
}
