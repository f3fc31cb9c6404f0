package io.github.jpeer.rtp;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/**
 * Issue #15: this module's built descriptor is io.github.jpeer.rtp, exporting only its API package.
 */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackage() {
    ModuleFence.assertFenced("io.github.jpeer.rtp", "io.github.jpeer.rtp");
  }
}
