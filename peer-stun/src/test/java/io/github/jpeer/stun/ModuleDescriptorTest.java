package io.github.jpeer.stun;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/**
 * Issue #15: this module's built descriptor is io.github.jpeer.stun, exporting only its API
 * package.
 */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackage() {
    ModuleFence.assertFenced("io.github.jpeer.stun", "io.github.jpeer.stun");
  }
}
