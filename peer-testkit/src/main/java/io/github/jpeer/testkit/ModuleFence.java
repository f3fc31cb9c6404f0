package io.github.jpeer.testkit;

import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a library module's JPMS fence (issue #15) on the descriptor the build produced, {@code
 * target/classes/module-info.class}: its name, that it exports exactly its API packages, to
 * everyone, and opens nothing; an internal package may be exported only to the project's own
 * modules (those whose names share this one's prefix), as peer-signaling shares its JSON reader.
 * Tests run on the class path, where no descriptor is enforced; this is what keeps a lost {@code
 * module-info.java} or an {@code exports ...internal} from going unnoticed.
 */
public final class ModuleFence {
  private ModuleFence() {}

  /**
   * Throws an AssertionError unless the module built in the working directory (surefire runs in the
   * module's directory) is the explicit module {@code name} exporting {@code apiPackages} and
   * nothing else.
   */
  public static void assertFenced(String name, String... apiPackages) {
    assertFenced(Path.of("target", "classes"), name, apiPackages);
  }

  /** As {@link #assertFenced(String, String...)}, for the module compiled into {@code classes}. */
  static void assertFenced(Path classes, String name, String... apiPackages) {
    ModuleDescriptor d = builtDescriptor(classes);
    List<String> problems = new ArrayList<>();
    if (!d.name().equals(name)) {
      problems.add("named " + d.name() + ", not " + name);
    }
    if (d.isOpen() || !d.opens().isEmpty()) {
      problems.add("opens packages to reflection: " + d.opens());
    }
    Set<String> exported = new TreeSet<>();
    String family = d.name().substring(0, d.name().lastIndexOf('.') + 1);
    for (ModuleDescriptor.Exports e : d.exports()) {
      if (e.isQualified()) {
        // Shared internals (a JSON reader) may go to the project's own modules, and no further.
        for (String target : e.targets()) {
          if (!target.startsWith(family)) {
            problems.add("exports " + e.source() + " to " + target + ", outside " + family + "*");
          }
        }
        if (!e.source().contains("internal")) {
          problems.add("qualified export of an API package " + e.source() + ": export it to all");
        }
        continue;
      }
      exported.add(e.source());
      if (e.source().contains("internal")) {
        problems.add("exports an internal package: " + e.source());
      }
    }
    Set<String> expected = new TreeSet<>(List.of(apiPackages));
    if (!exported.equals(expected)) {
      problems.add("exports " + exported + ", expected " + expected);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("module " + d.name() + ": " + String.join("; ", problems));
    }
  }

  private static ModuleDescriptor builtDescriptor(Path classes) {
    if (!Files.isDirectory(classes)) {
      throw new AssertionError(
          classes.toAbsolutePath() + " does not exist: not a module directory");
    }
    // Without a descriptor, ModuleFinder would read the directory as one of modules, not as one.
    if (!Files.exists(classes.resolve("module-info.class"))) {
      throw new AssertionError(
          "no module-info.class in " + classes.toAbsolutePath() + ": not an explicit module");
    }
    try {
      Set<ModuleReference> found = ModuleFinder.of(classes).findAll();
      if (found.size() != 1) {
        throw new AssertionError("expected one module in " + classes + ", found " + found);
      }
      return found.iterator().next().descriptor();
    } catch (FindException e) {
      throw new AssertionError("unreadable module in " + classes.toAbsolutePath(), e);
    }
  }
}
