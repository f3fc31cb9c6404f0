package io.github.jpeer.realtime;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/**
 * This module's built descriptor is io.github.jpeer.realtime, exporting its API package and the
 * local stand-in (which applications test their agents against).
 */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackages() {
    ModuleFence.assertFenced(
        "io.github.jpeer.realtime", "io.github.jpeer.realtime", "io.github.jpeer.realtime.local");
  }
}
