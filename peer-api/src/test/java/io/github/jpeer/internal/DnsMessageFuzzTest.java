package io.github.jpeer.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any bytes are either a response (A/AAAA answers read) or a DnsFormatException, nothing else. */
class DnsMessageFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void answers(byte[] data) {
    try {
      DnsMessage.answers(data, data.length);
    } catch (DnsMessage.DnsFormatException expected) {
      // malformed input is reported this way and only this way
    }
  }
}
