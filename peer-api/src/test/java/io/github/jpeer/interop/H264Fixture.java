package io.github.jpeer.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The committed H.264 test clip (see {@code io/github/jpeer/video/README.txt} next to it): 60
 * frames of 320x240 Constrained Baseline at 30 fps, an IDR with SPS and PPS at frames 0 and 30, an
 * access unit delimiter opening every frame. Shared by the libwebrtc and Chromium video tests.
 */
public final class H264Fixture {
  /** The clip's resource path. */
  public static final String RESOURCE = "/io/github/jpeer/video/testsrc-320x240.h264";

  /** How many access units (frames) the clip holds. */
  public static final int FRAMES = 60;

  private H264Fixture() {}

  /** The whole Annex-B file. */
  public static byte[] bytes() {
    try (InputStream in = H264Fixture.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The clip split into its access units, in order. */
  public static List<byte[]> accessUnits() {
    return accessUnits(bytes());
  }

  /**
   * Splits an Annex-B stream into access units at its access unit delimiters (NAL type 9, which the
   * clip has because x264 ran with {@code aud=1}): each unit runs from one AUD's start code to the
   * next one's. A 4-byte start code ({@code 00 00 00 01}) stays whole with the unit it opens.
   *
   * @throws IllegalArgumentException if the stream does not open with an AUD
   */
  public static List<byte[]> accessUnits(byte[] annexB) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + 3 < annexB.length; i++) {
      if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
        if ((annexB[i + 3] & 0x1f) == 9) {
          starts.add(i > 0 && annexB[i - 1] == 0 ? i - 1 : i);
        }
        i += 2; // past the start code: a NAL header is never 00
      }
    }
    if (starts.isEmpty() || starts.get(0) != 0) {
      throw new IllegalArgumentException("the stream does not open with an AUD");
    }
    List<byte[]> units = new ArrayList<>();
    for (int k = 0; k < starts.size(); k++) {
      int to = k + 1 < starts.size() ? starts.get(k + 1) : annexB.length;
      units.add(Arrays.copyOfRange(annexB, starts.get(k), to));
    }
    return units;
  }
}
