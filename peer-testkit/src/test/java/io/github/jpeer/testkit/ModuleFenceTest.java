package io.github.jpeer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ModuleFence on modules compiled here: it passes the fenced one and names each breach. */
class ModuleFenceTest {
  @TempDir Path dir;

  /**
   * Compiles a module {@code m.api} with packages m.api and m.api.internal, and this descriptor.
   */
  private Path compile(String moduleInfo) throws IOException {
    Path src = dir.resolve("src");
    Path out = dir.resolve("classes");
    write(src.resolve("module-info.java"), moduleInfo);
    write(src.resolve("m/api/Api.java"), "package m.api; public class Api {}");
    write(src.resolve("m/api/internal/Impl.java"), "package m.api.internal; public class Impl {}");
    List<String> args = new ArrayList<>(List.of("-d", out.toString()));
    try (var files = Files.walk(src)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "javac failed");
    return out;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String breach(Path classes, String name, String... exports) {
    return assertThrows(
            AssertionError.class, () -> ModuleFence.assertFenced(classes, name, exports))
        .getMessage();
  }

  @Test
  void aModuleExportingOnlyItsApiPasses() throws IOException {
    Path classes = compile("module m.api { exports m.api; }");
    ModuleFence.assertFenced(classes, "m.api", "m.api");
  }

  @Test
  void anExportedInternalPackageIsABreach() throws IOException {
    Path classes = compile("module m.api { exports m.api; exports m.api.internal; }");
    String message = breach(classes, "m.api", "m.api");
    assertTrue(message.contains("exports an internal package: m.api.internal"), message);
  }

  @Test
  void anInternalPackageMayGoToTheProjectsOwnModulesOnly() throws IOException {
    ModuleFence.assertFenced(
        compile("module m.api { exports m.api; exports m.api.internal to m.friend; }"),
        "m.api",
        "m.api");
    String outside =
        assertThrows(
                AssertionError.class,
                () ->
                    ModuleFence.assertFenced(
                        compile("module m.api { exports m.api; exports m.api.internal to x.y; }"),
                        "m.api",
                        "m.api"))
            .getMessage();
    assertTrue(outside.contains("exports m.api.internal to x.y, outside m.*"), outside);
    String api =
        assertThrows(
                AssertionError.class,
                () ->
                    ModuleFence.assertFenced(
                        compile("module m.api { exports m.api to m.friend; }"), "m.api", "m.api"))
            .getMessage();
    assertTrue(api.contains("qualified export of an API package m.api"), api);
  }

  @Test
  void aRenamedOrOpenModuleIsABreach() throws IOException {
    Path classes = compile("open module m.other { exports m.api; }");
    String message = breach(classes, "m.api", "m.api");
    assertTrue(message.contains("named m.other, not m.api"), message);
    assertTrue(message.contains("opens packages"), message);
  }

  @Test
  void classesWithoutADescriptorAreABreach() throws IOException {
    Path classes = dir.resolve("classes");
    write(classes.resolve("m/api/Api.class"), "");
    String message = breach(classes, "m.api", "m.api");
    assertTrue(message.contains("no module-info.class"), message);
  }
}
