package io.github.jpeer.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "voice agent in one screen" compiles against this module as it stands. */
class ReadmeAgentTest {
  @TempDir Path dir;

  @Test
  void theReadmesVoiceAgentCompiles() throws IOException {
    String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
    int section = readme.indexOf("## A voice agent in one screen");
    assertTrue(section >= 0, "the README has the section");
    Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(java.find(section), "the section has a Java block");
    String source = java.group(1);
    Matcher name = Pattern.compile("public final class (\\w+)").matcher(source);
    assertTrue(name.find(), source);
    Path file = dir.resolve(name.group(1) + ".java");
    Files.writeString(file, source);
    long lines = source.lines().count();
    assertTrue(lines <= 45, "one screen: " + lines + " lines");

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    StringWriter errors = new StringWriter();
    boolean ok =
        javac
            .getTask(
                errors,
                null,
                null,
                List.of(
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    dir.toString(),
                    "-Xlint:none"),
                null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(file))
            .call();
    assertEquals("", errors.toString());
    assertTrue(ok);
  }
}
