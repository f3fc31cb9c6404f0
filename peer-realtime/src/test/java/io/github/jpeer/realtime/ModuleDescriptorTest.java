package io.github.jpeer.realtime;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/** This module's built descriptor is io.github.jpeer.realtime, exporting only its API package. */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackage() {
    ModuleFence.assertFenced("io.github.jpeer.realtime", "io.github.jpeer.realtime");
  }
}
