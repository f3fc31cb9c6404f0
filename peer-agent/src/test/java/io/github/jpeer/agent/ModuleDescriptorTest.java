package io.github.jpeer.agent;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/**
 * Issue #15: this module's built descriptor is io.github.jpeer.agent, exporting only its API
 * package.
 */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackage() {
    ModuleFence.assertFenced("io.github.jpeer.agent", "io.github.jpeer.agent");
  }
}
