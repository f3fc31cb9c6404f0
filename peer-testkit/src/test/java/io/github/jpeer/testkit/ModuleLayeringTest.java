package io.github.jpeer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module graph of docs/ARCHITECTURE.md, checked against every module's pom: arrows point down
 * only, each artifact's module name is its package, and each library module has a module-info.
 */
class ModuleLayeringTest {
  /** Which jpeer artifacts each library module may depend on outside test scope. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("peer-testkit", Set.of()),
          Map.entry("peer-stun", Set.of()),
          Map.entry("peer-sdp", Set.of()),
          Map.entry("peer-rtp", Set.of()),
          Map.entry("peer-srtp", Set.of()),
          Map.entry("peer-sctp", Set.of()),
          Map.entry("peer-media", Set.of()),
          Map.entry("peer-agent", Set.of("peer-stun")),
          Map.entry("peer-dtls", Set.of("peer-srtp")),
          Map.entry(
              "peer-api",
              Set.of(
                  "peer-stun",
                  "peer-sdp",
                  "peer-rtp",
                  "peer-srtp",
                  "peer-agent",
                  "peer-dtls",
                  "peer-sctp")),
          Map.entry(
              "peer-signaling",
              Set.of(
                  "peer-api",
                  "peer-stun",
                  "peer-sdp",
                  "peer-rtp",
                  "peer-srtp",
                  "peer-agent",
                  "peer-dtls",
                  "peer-sctp")),
          Map.entry(
              "peer-signaling-mqtt",
              Set.of(
                  "peer-signaling",
                  "peer-api",
                  "peer-stun",
                  "peer-sdp",
                  "peer-rtp",
                  "peer-srtp",
                  "peer-agent",
                  "peer-dtls",
                  "peer-sctp")),
          Map.entry(
              "peer-realtime",
              Set.of(
                  "peer-signaling",
                  "peer-media",
                  "peer-api",
                  "peer-stun",
                  "peer-sdp",
                  "peer-rtp",
                  "peer-srtp",
                  "peer-agent",
                  "peer-dtls",
                  "peer-sctp")));

  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
  private static final Pattern SCOPE = Pattern.compile("<scope>([^<]+)</scope>");

  private static Path root() {
    // Surefire runs in the module directory; the parent pom is one level up.
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.exists(root.resolve("peer-api/pom.xml")), "project root not found: " + root);
    return root;
  }

  @Test
  void libraryModulesDependOnlyOnModulesBelowThem() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
      for (String dep : productionDependencies(root().resolve(e.getKey()).resolve("pom.xml"))) {
        if (dep.startsWith("peer-") && !e.getValue().contains(dep)) {
          violations.add(e.getKey() + " -> " + dep);
        }
      }
    }
    assertEquals(List.of(), violations, "arrows that docs/ARCHITECTURE.md does not have");
  }

  /**
   * jpeer-bom has no parent (so that it pins nothing but jpeer), so nothing keeps its list in step
   * with the modules but this: every module of the root pom that is deployed (packaging jar and no
   * maven.deploy.skip) is in the BOM.
   */
  @Test
  void theBomListsEveryDeployedModule() throws IOException {
    String bom = Files.readString(root().resolve("bom/pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pomOf(root()));
    List<String> missing = new ArrayList<>();
    while (module.find()) {
      String pom = pomOf(root().resolve(module.group(1)));
      Matcher artifact =
          ARTIFACT.matcher(pom.substring(pom.indexOf("</parent>") + "</parent>".length()));
      boolean deployed =
          !pom.contains("<packaging>pom</packaging>")
              && !pom.contains("<maven.deploy.skip>true</maven.deploy.skip>");
      if (deployed && artifact.find() && !bom.contains("<artifactId>" + artifact.group(1) + "<")) {
        missing.add(artifact.group(1));
      }
    }
    assertEquals(List.of(), missing, "deployed modules that bom/pom.xml does not list");
  }

  private static String pomOf(Path dir) throws IOException {
    return Files.readString(dir.resolve("pom.xml"));
  }

  @Test
  void nothingDependsOnExamplesOrBenchmarks() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> poms = Files.walk(root(), 3)) {
      for (Path pom : poms.filter(p -> p.endsWith("pom.xml")).toList()) {
        for (String dep : allDependencies(pom)) {
          if (dep.startsWith("example-") || dep.equals("benchmarks")) {
            violations.add(root().relativize(pom) + " -> " + dep);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void everyModuleNamesItsAutomaticModuleAfterItsPackage() throws IOException {
    for (String module : new TreeSet<>(ALLOWED.keySet())) {
      Path dir = root().resolve(module);
      String pom = Files.readString(dir.resolve("pom.xml"));
      Matcher m = Pattern.compile("<jpeer.module>([^<]+)</jpeer.module>").matcher(pom);
      assertTrue(m.find(), module + " sets no jpeer.module (its Automatic-Module-Name)");
      Path packageInfo =
          dir.resolve("src/main/java")
              .resolve(m.group(1).replace('.', '/'))
              .resolve("package-info.java");
      assertTrue(Files.exists(packageInfo), module + ": no " + root().relativize(packageInfo));
    }
  }

  /**
   * Issue #15: every library module is an explicit module named after its package (the jpeer.module
   * of its pom, formerly its Automatic-Module-Name), and has the ModuleDescriptorTest that checks
   * what the built descriptor exports.
   */
  @Test
  void everyLibraryModuleHasAModuleInfoNamedAfterItsPackage() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String module : new TreeSet<>(ALLOWED.keySet())) {
      if (module.equals("peer-testkit")) {
        continue; // test support, not a library: an automatic module
      }
      Path dir = root().resolve(module);
      Matcher m =
          Pattern.compile("<jpeer.module>([^<]+)</jpeer.module>")
              .matcher(Files.readString(dir.resolve("pom.xml")));
      assertTrue(m.find(), module + " sets no jpeer.module");
      String name = m.group(1);
      Path moduleInfo = dir.resolve("src/main/java/module-info.java");
      if (!Files.exists(moduleInfo)) {
        problems.add(module + ": no src/main/java/module-info.java");
      } else if (!Pattern.compile("(?m)^module " + Pattern.quote(name) + " \\{")
          .matcher(Files.readString(moduleInfo))
          .find()) {
        problems.add(module + ": module-info.java does not declare module " + name);
      }
      Path test =
          dir.resolve("src/test/java")
              .resolve(name.replace('.', '/'))
              .resolve("ModuleDescriptorTest.java");
      if (!Files.exists(test)) {
        problems.add(module + ": no " + root().relativize(test));
      }
    }
    assertEquals(List.of(), problems);
  }

  private static List<String> productionDependencies(Path pom) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher d = DEPENDENCY.matcher(dependenciesBlock(pom));
    while (d.find()) {
      Matcher scope = SCOPE.matcher(d.group(1));
      Matcher artifact = ARTIFACT.matcher(d.group(1));
      if (artifact.find() && !(scope.find() && scope.group(1).equals("test"))) {
        out.add(artifact.group(1));
      }
    }
    return out;
  }

  private static List<String> allDependencies(Path pom) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher d = DEPENDENCY.matcher(dependenciesBlock(pom));
    while (d.find()) {
      Matcher artifact = ARTIFACT.matcher(d.group(1));
      if (artifact.find()) {
        out.add(artifact.group(1));
      }
    }
    return out;
  }

  /** The project's own dependencies, leaving out dependencyManagement (which lists everything). */
  private static String dependenciesBlock(Path pom) throws IOException {
    String xml =
        Files.readString(pom)
            .replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "");
    int start = xml.indexOf("<dependencies>");
    return start < 0 ? "" : xml.substring(start, xml.indexOf("</dependencies>", start));
  }
}
