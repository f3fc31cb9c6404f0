package io.github.jpeer;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/**
 * Issue #15: this module's built descriptor is io.github.jpeer, exporting only its API package
 * (io.github.jpeer.internal stays unexported).
 */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackage() {
    ModuleFence.assertFenced("io.github.jpeer", "io.github.jpeer");
  }
}
