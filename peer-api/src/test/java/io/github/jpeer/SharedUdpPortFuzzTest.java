package io.github.jpeer;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes are either a binding request's local ufrag (non-empty, no colon) or null: the shared
 * port's demultiplexer never throws out of the loop for what arrives on the socket.
 */
class SharedUdpPortFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void demultiplexer(byte[] data) {
    String ufrag = SharedUdpPort.localUfragOfBindingRequest(data, data.length);
    if (ufrag != null && (ufrag.isEmpty() || ufrag.indexOf(':') >= 0)) {
      throw new AssertionError("not a local ufrag: " + ufrag);
    }
  }
}
