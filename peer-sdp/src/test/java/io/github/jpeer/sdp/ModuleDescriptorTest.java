package io.github.jpeer.sdp;

import io.github.jpeer.testkit.ModuleFence;
import org.junit.jupiter.api.Test;

/**
 * Issue #15: this module's built descriptor is io.github.jpeer.sdp, exporting only its API package.
 */
class ModuleDescriptorTest {
  @Test
  void exportsOnlyItsApiPackage() {
    ModuleFence.assertFenced("io.github.jpeer.sdp", "io.github.jpeer.sdp");
  }
}
