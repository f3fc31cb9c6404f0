package io.github.jpeer.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The programs and native libraries of this machine that the interop tests use (coturn, mosquitto,
 * OpenSSL, the system libraries libwebrtc links against), each found or reported missing together
 * with the Debian package that provides it.
 *
 * <p>A missing tool fails the test with an {@link AssertionError} that names the package and the
 * command that installs it, rather than skipping the test or ending in an {@code
 * UnsatisfiedLinkError}: {@code scripts/verify.sh}, the README's test command, installs all of
 * them, so on a machine that ran it nothing is missing.
 */
public final class ExternalTools {
  /** Where Debian puts daemons, which are not on an ordinary user's PATH. */
  private static final List<String> SBIN_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  /** The dynamic linker's default directories, besides those in /etc/ld.so.conf.d. */
  private static final List<String> DEFAULT_LIBRARY_DIRS =
      List.of("/lib", "/usr/lib", "/lib64", "/usr/lib64");

  private ExternalTools() {}

  /**
   * The executable {@code name} on the PATH (or in an sbin directory).
   *
   * @param name the program, e.g. {@code turnserver}
   * @param debianPackage the Debian package that provides it, e.g. {@code coturn}
   * @return its path
   * @throws AssertionError naming the package if there is no such executable
   */
  public static Path executable(String name, String debianPackage) {
    List<String> dirs = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        dirs.add(dir);
      }
    }
    dirs.addAll(SBIN_DIRS);
    for (String dir : dirs) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(name + " is not installed" + install(debianPackage));
  }

  /**
   * Checks that {@code executable} exists and may be run.
   *
   * @param executable a fixed path, e.g. {@code /usr/sbin/mosquitto}
   * @param debianPackage the Debian package that provides it
   * @return {@code executable}
   * @throws AssertionError naming the package if it cannot be run
   */
  public static Path require(Path executable, String debianPackage) {
    if (!Files.isExecutable(executable)) {
      throw new AssertionError(executable + " is not installed" + install(debianPackage));
    }
    return executable;
  }

  /**
   * On Linux, checks that the dynamic linker can find each shared library {@code user} is linked
   * against, so that a missing one fails with the packages to install instead of an {@code
   * UnsatisfiedLinkError} from deep inside the first native call. Elsewhere this checks nothing.
   *
   * @param user what needs the libraries, for the message (e.g. {@code "libwebrtc (webrtc-java)"})
   * @param packageBySoname each library's soname (e.g. {@code libpulse.so.0}) and its Debian
   *     package (e.g. {@code libpulse0})
   * @throws AssertionError naming every missing library and its package
   */
  public static void requireSharedLibraries(String user, Map<String, String> packageBySoname) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return;
    }
    Set<Path> dirs = libraryDirs();
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : packageBySoname.entrySet()) {
      if (dirs.stream().noneMatch(d -> Files.exists(d.resolve(e.getKey())))) {
        missing.add(e.getKey());
        packages.add(e.getValue());
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          user
              + " cannot be loaded: "
              + String.join(", ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " missing"
              + install(String.join(" ", packages)));
    }
  }

  /** LD_LIBRARY_PATH, the directories /etc/ld.so.conf.d lists, then the defaults. */
  private static Set<Path> libraryDirs() {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String dir : System.getenv().getOrDefault("LD_LIBRARY_PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    Path conf = Path.of("/etc/ld.so.conf.d");
    if (Files.isDirectory(conf)) {
      try (Stream<Path> files = Files.list(conf)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".conf")).sorted().toList()) {
          for (String line : Files.readAllLines(f)) {
            String dir = line.strip();
            if (dir.startsWith("/")) {
              dirs.add(Path.of(dir));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + conf, e);
      }
    }
    DEFAULT_LIBRARY_DIRS.forEach(d -> dirs.add(Path.of(d)));
    return dirs;
  }

  private static String install(String debianPackages) {
    return ": install the Debian package"
        + (debianPackages.contains(" ") ? "s " : " ")
        + debianPackages
        + " (apt-get install "
        + debianPackages
        + "), or run scripts/verify.sh, which installs everything the tests need";
  }
}
