package io.github.jpeer.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads WAV files holding 16-bit PCM, mono or stereo, at any rate from 8 to 192 kHz.
 *
 * <p>A WAV file is a RIFF container (little-endian sizes) of chunks:
 *
 * <pre>
 *  0        4        8        12
 * +--------+--------+--------+
 * | "RIFF" | size   | "WAVE" |    size = bytes after this field
 * +--------+--------+--------+
 * | id     | size   | data ... (size bytes, plus a pad byte if size is odd)  repeated
 * +--------+--------+-----------------------------------------------
 *
 * "fmt " chunk data (16 bytes, or more for WAVE_FORMAT_EXTENSIBLE):
 *  0      2        4            8          12      14     16
 * +------+--------+------------+----------+-------+------+--------+-----------+
 * |format|channels| sampleRate | byteRate |align  |bits  | cbSize | ext ...   |
 * +------+--------+------------+----------+-------+------+--------+-----------+
 *   extension: validBits(2) channelMask(4) subFormat GUID(16), first 2 bytes = format
 *
 * "data" chunk data: interleaved little-endian signed 16-bit samples
 * </pre>
 *
 * <p>Tolerant of what real files contain: unknown chunks ({@code LIST}, {@code fact}, {@code bext},
 * ...) are skipped, {@code WAVE_FORMAT_EXTENSIBLE} with a PCM sub-format is accepted, and a {@code
 * data} size larger than the file (streamed recordings write 0 or 0xFFFFFFFF there) is clamped to
 * what is present. Anything else unexpected gives a {@link WavFormatException} naming what was
 * found; no other exception escapes {@link #parse}.
 */
public final class WavReader {
  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;

  private WavReader() {}

  /**
   * Reads a WAV file.
   *
   * @throws IOException if the file cannot be read
   * @throws WavFormatException if it is not a 16-bit PCM mono or stereo WAV file
   */
  public static WavAudio read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return parse(bytes);
    } catch (WavFormatException e) {
      throw new WavFormatException(file + ": " + e.getMessage());
    }
  }

  /**
   * Reads a whole WAV stream (without closing it).
   *
   * @throws IOException if the stream fails
   * @throws WavFormatException if it is not a 16-bit PCM mono or stereo WAV file
   */
  public static WavAudio read(InputStream in) throws IOException {
    return parse(in.readAllBytes());
  }

  /**
   * Parses WAV file bytes.
   *
   * @throws WavFormatException for anything but a 16-bit PCM mono or stereo WAV file, naming what
   *     was found
   */
  public static WavAudio parse(byte[] wav) {
    if (wav.length < 12) {
      throw new WavFormatException(
          "not a WAV file: " + wav.length + " bytes is shorter than the 12-byte RIFF header");
    }
    String riff = fourCc(wav, 0);
    if (!riff.equals("RIFF") || !fourCc(wav, 8).equals("WAVE")) {
      String hint =
          riff.equals("RF64") || riff.equals("RIFX")
              ? " (" + riff + " files are not supported)"
              : "";
      throw new WavFormatException(
          "not a WAV file: expected 'RIFF' and 'WAVE', found '"
              + printable(riff)
              + "' and '"
              + printable(fourCc(wav, 8))
              + "'"
              + hint);
    }
    // The RIFF size may be wrong in streamed files; the chunks themselves are what counts.
    int position = 12;
    PcmFormat format = null;
    int dataOffset = -1;
    int dataLength = 0;
    while (position + 8 <= wav.length) {
      String id = fourCc(wav, position);
      long size = Integer.toUnsignedLong(littleEndianInt(wav, position + 4));
      int body = position + 8;
      long remaining = wav.length - body;
      if (id.equals("fmt ")) {
        if (size > remaining) {
          throw new WavFormatException(
              "'fmt ' chunk claims " + size + " bytes but only " + remaining + " remain");
        }
        format = parseFormat(wav, body, (int) size);
      } else if (id.equals("data")) {
        if (dataOffset < 0) {
          dataOffset = body;
          dataLength = (int) Math.min(size, remaining);
        }
        if (size >= remaining) {
          break; // a truncated or streamed data chunk runs to the end of the file
        }
      } else if (size > remaining) {
        if (dataOffset >= 0) {
          break; // a damaged trailing chunk after the audio does not matter
        }
        throw new WavFormatException(
            "chunk '"
                + printable(id)
                + "' at byte "
                + position
                + " claims "
                + size
                + " bytes but only "
                + remaining
                + " remain");
      }
      // Chunks are padded to an even length (RIFF); skip the pad byte too.
      position = (int) Math.min(wav.length, body + size + (size & 1));
    }
    if (format == null) {
      throw new WavFormatException("WAV file has no 'fmt ' chunk before its end");
    }
    if (dataOffset < 0) {
      throw new WavFormatException("WAV file has no 'data' chunk");
    }
    int frameBytes = 2 * format.channels();
    int frames = dataLength / frameBytes;
    short[] samples = new short[frames * format.channels()];
    Pcm.fromLittleEndian(wav, dataOffset, samples.length, samples, 0);
    return new WavAudio(format, samples);
  }

  private static PcmFormat parseFormat(byte[] wav, int offset, int size) {
    if (size < 16) {
      throw new WavFormatException("'fmt ' chunk is " + size + " bytes, shorter than 16");
    }
    int formatTag = littleEndianShort(wav, offset);
    int channels = littleEndianShort(wav, offset + 2);
    long sampleRate = Integer.toUnsignedLong(littleEndianInt(wav, offset + 4));
    int blockAlign = littleEndianShort(wav, offset + 12);
    int bits = littleEndianShort(wav, offset + 14);
    if (formatTag == FORMAT_EXTENSIBLE) {
      // The real format is the first two bytes of the sub-format GUID at offset 24.
      if (size < 40) {
        throw new WavFormatException(
            "'fmt ' chunk says WAVE_FORMAT_EXTENSIBLE but is only " + size + " bytes, not 40");
      }
      formatTag = littleEndianShort(wav, offset + 24);
    }
    if (formatTag != FORMAT_PCM) {
      throw new WavFormatException(
          "WAV audio format "
              + formatTag
              + " ("
              + formatName(formatTag)
              + ") is not supported; only 16-bit PCM (format 1) is. Convert with e.g."
              + " 'sox in.wav -b 16 -e signed-integer out.wav'");
    }
    if (bits != 16) {
      throw new WavFormatException(
          "WAV file has "
              + bits
              + "-bit samples; only 16-bit PCM is supported. Convert with e.g."
              + " 'sox in.wav -b 16 out.wav'");
    }
    if (channels != 1 && channels != 2) {
      throw new WavFormatException(
          "WAV file has " + channels + " channels; only mono and stereo are supported");
    }
    if (sampleRate < 8_000 || sampleRate > 192_000) {
      throw new WavFormatException(
          "WAV sample rate " + sampleRate + " Hz is not supported; use 8000 to 192000 Hz");
    }
    if (blockAlign != 2 * channels) {
      throw new WavFormatException(
          "WAV block align is "
              + blockAlign
              + " bytes, but 16-bit "
              + channels
              + "-channel audio needs "
              + 2 * channels);
    }
    return new PcmFormat((int) sampleRate, channels);
  }

  private static String formatName(int formatTag) {
    return switch (formatTag) {
      case 2 -> "Microsoft ADPCM";
      case 3 -> "IEEE float";
      case 6 -> "A-law";
      case 7 -> "mu-law";
      case 0x11 -> "IMA ADPCM";
      case 0x55 -> "MP3";
      default -> "unknown";
    };
  }

  private static String fourCc(byte[] bytes, int offset) {
    return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String fourCc) {
    StringBuilder sb = new StringBuilder();
    for (char c : fourCc.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return sb.toString();
  }

  private static int littleEndianShort(byte[] b, int offset) {
    return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
  }

  private static int littleEndianInt(byte[] b, int offset) {
    return (b[offset] & 0xFF)
        | (b[offset + 1] & 0xFF) << 8
        | (b[offset + 2] & 0xFF) << 16
        | (b[offset + 3] & 0xFF) << 24;
  }
}
