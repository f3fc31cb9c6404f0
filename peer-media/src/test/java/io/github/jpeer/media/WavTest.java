package io.github.jpeer.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

  @TempDir Path dir;

  @Test
  void writeThenReadGivesTheSameAudio() throws Exception {
    short[] samples = SpeechLikeSignal.generate(16_000, 16_000, 8);
    WavAudio audio = new WavAudio(new PcmFormat(16_000, 1), samples);
    Path file = dir.resolve("speech.wav");
    WavWriter.write(file, audio);
    assertEquals(44 + 32_000, Files.size(file));
    WavAudio read = WavReader.read(file);
    assertEquals(audio, read);
    assertEquals(1_000, read.durationMillis());
    assertArrayEquals(WavWriter.toBytes(audio), Files.readAllBytes(file));
  }

  @Test
  void streamingWriterInStereoAndAnUnclosedFileStillReads() throws Exception {
    Path file = dir.resolve("stereo.wav");
    short[] frame = {1, -1, 2, -2, 300, -300};
    WavWriter writer = WavWriter.create(file, new PcmFormat(48_000, 2));
    writer.write(frame, 0, 6);
    // Before close the sizes are 0xFFFFFFFF (streaming); the reader reads to the end.
    WavAudio partial = WavReader.read(file);
    assertArrayEquals(frame, partial.samples());
    writer.write(frame, 2, 4);
    writer.close();
    writer.close();
    assertEquals(5, writer.framesWritten());
    WavAudio whole = WavReader.read(file);
    assertEquals(new PcmFormat(48_000, 2), whole.format());
    assertArrayEquals(new short[] {1, -1, 2, -2, 300, -300, 2, -2, 300, -300}, whole.samples());
    assertThrows(IllegalStateException.class, () -> writer.write(frame, 0, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> WavWriter.create(dir.resolve("x.wav"), new PcmFormat(8_000, 2)).write(frame, 0, 3));
  }

  /** A hand-built file with LIST and odd-sized chunks around the audio, as editors write them. */
  @Test
  void skipsListAndOtherChunks() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ascii("WAVE"));
    chunk(body, "LIST", ascii("INFOISFT\u0005\u0000\u0000\u0000Lavf\u0000"));
    chunk(body, "fmt ", fmt(1, 1, 8_000, 16, 16));
    chunk(body, "junk", new byte[] {1, 2, 3}); // odd: a pad byte follows
    chunk(body, "data", new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, 0, (byte) 0x80});
    chunk(body, "LIST", ascii("INFOICMT"));
    WavAudio audio = WavReader.parse(riff(body.toByteArray()));
    assertEquals(PcmFormat.MONO_8K, audio.format());
    assertArrayEquals(new short[] {1, -1, Short.MIN_VALUE}, audio.samples());
  }

  @Test
  void extensibleFormatWithPcmSubFormatIsAccepted() {
    byte[] fmt = new byte[40];
    ByteBuffer b = ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN);
    b.put(fmt(0xFFFE, 2, 48_000, 16, 16));
    b.putShort(16, (short) 22).putShort(18, (short) 16).putInt(20, 3).putShort(24, (short) 1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ascii("WAVE"));
    chunk(body, "fmt ", fmt);
    chunk(body, "data", new byte[] {1, 0, 2, 0});
    WavAudio audio = WavReader.parse(riff(body.toByteArray()));
    assertArrayEquals(new short[] {1, 2}, audio.samples());
  }

  @Test
  void unsupportedFilesNameWhatWasFound() {
    assertMessage(wav(fmt(3, 1, 48_000, 32, 32)), "format 3 (IEEE float)");
    assertMessage(wav(fmt(1, 1, 48_000, 24, 24)), "24-bit samples");
    assertMessage(wav(fmt(1, 1, 8_000, 8, 8)), "8-bit samples");
    assertMessage(wav(fmt(7, 1, 8_000, 8, 8)), "format 7 (mu-law)");
    assertMessage(wav(fmt(1, 6, 48_000, 16, 16)), "6 channels");
    assertMessage(wav(fmt(1, 1, 4_000, 16, 16)), "4000 Hz");
    assertMessage(ascii("RIFX\0\0\0\0WAVE"), "RIFX files are not supported");
    assertMessage(ascii("OggS"), "shorter than the 12-byte RIFF header");
    assertMessage(ascii("ID3\u0004\0\0\0\0\0\0\0\0\0\0"), "not a WAV file");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ascii("WAVE"));
    chunk(body, "fmt ", fmt(1, 1, 8_000, 16, 16));
    assertMessage(riff(body.toByteArray()), "no 'data' chunk");
  }

  private static void assertMessage(byte[] wav, String expected) {
    WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.parse(wav));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static byte[] wav(byte[] fmt) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ascii("WAVE"));
    chunk(body, "fmt ", fmt);
    chunk(body, "data", new byte[8]);
    return riff(body.toByteArray());
  }

  static byte[] fmt(int format, int channels, int rate, int bits, int bitsForAlign) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    int align = channels * bitsForAlign / 8;
    b.putShort((short) format).putShort((short) channels).putInt(rate).putInt(rate * align);
    b.putShort((short) align).putShort((short) bits);
    return b.array();
  }

  static void chunk(ByteArrayOutputStream out, String id, byte[] data) {
    out.writeBytes(ascii(id));
    out.writeBytes(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
    out.writeBytes(data);
    if (data.length % 2 == 1) {
      out.write(0);
    }
  }

  static byte[] riff(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii("RIFF"));
    out.writeBytes(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array());
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
