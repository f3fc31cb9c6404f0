package io.github.jpeer.media;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit PCM WAV files: a 44-byte header ({@code RIFF}, a 16-byte {@code fmt } chunk, {@code
 * data}; layout in {@link WavReader}) followed by the samples.
 *
 * <p>Streams to disk, so a call can be recorded as it happens: {@link #create} writes a header,
 * {@link #write} appends samples, {@link #close} fills in the sizes. A file left unclosed (e.g.
 * after a crash) has sizes of 0xFFFFFFFF, the streaming convention, which {@link WavReader} and
 * most tools read to the end of the file. Not thread-safe.
 */
public final class WavWriter implements Closeable {
  private static final int HEADER_BYTES = 44;
  // Streaming convention: sizes of 0xFFFFFFFF until close() knows them.
  private static final long UNKNOWN_SIZE = -1;
  private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (HEADER_BYTES - 8);

  private final FileChannel channel;
  private final PcmFormat format;
  private byte[] scratch = new byte[0];
  private long dataBytes;
  private boolean closed;

  private WavWriter(FileChannel channel, PcmFormat format) {
    this.channel = channel;
    this.format = format;
  }

  /**
   * Creates (or truncates) {@code file} and writes a WAV header for {@code format}.
   *
   * @throws IOException if the file cannot be created
   */
  public static WavWriter create(Path file, PcmFormat format) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    WavWriter writer = new WavWriter(channel, format);
    try {
      writer.writeFully(ByteBuffer.wrap(header(format, UNKNOWN_SIZE)), 0);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return writer;
  }

  /** The format being written. */
  public PcmFormat format() {
    return format;
  }

  /**
   * Appends {@code count} interleaved samples ({@code count} a multiple of the channel count).
   *
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if the range does not fit or splits a frame
   * @throws IllegalStateException if closed, or the file would exceed the 4 GB WAV limit
   */
  public void write(short[] pcm, int offset, int count) throws IOException {
    if (closed) {
      throw new IllegalStateException("WavWriter is closed; create a new one");
    }
    Checks.frames(format, pcm, offset, count);
    if (dataBytes + 2L * count > MAX_DATA_BYTES) {
      throw new IllegalStateException("WAV files cannot exceed 4 GB; start a new file");
    }
    if (scratch.length < 2 * count) {
      scratch = new byte[2 * count];
    }
    Pcm.toLittleEndian(pcm, offset, count, scratch, 0);
    writeFully(ByteBuffer.wrap(scratch, 0, 2 * count), HEADER_BYTES + dataBytes);
    dataBytes += 2L * count;
  }

  /** Samples per channel written so far. */
  public long framesWritten() {
    return dataBytes / (2L * format.channels());
  }

  /**
   * Writes the final sizes into the header and closes the file. Closing twice does nothing.
   *
   * @throws IOException if the header cannot be written
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      writeFully(ByteBuffer.wrap(header(format, dataBytes)), 0);
    }
  }

  /**
   * Writes a whole clip to {@code file}.
   *
   * @throws IOException if writing fails
   */
  public static void write(Path file, WavAudio audio) throws IOException {
    try (WavWriter writer = create(file, audio.format())) {
      short[] samples = audio.samples();
      writer.write(samples, 0, samples.length);
    }
  }

  /** The bytes of a WAV file holding {@code audio}. */
  public static byte[] toBytes(WavAudio audio) {
    short[] samples = audio.samples();
    byte[] header = header(audio.format(), 2L * samples.length);
    byte[] bytes = new byte[header.length + 2 * samples.length];
    System.arraycopy(header, 0, bytes, 0, header.length);
    Pcm.toLittleEndian(samples, 0, samples.length, bytes, header.length);
    return bytes;
  }

  private static byte[] header(PcmFormat format, long dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'R', 'I', 'F', 'F'});
    b.putInt(dataBytes == UNKNOWN_SIZE ? -1 : (int) (HEADER_BYTES - 8 + dataBytes));
    b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
    b.putInt(16);
    b.putShort((short) 1); // PCM
    b.putShort((short) format.channels());
    b.putInt(format.sampleRate());
    b.putInt(format.bytesPerSecond());
    b.putShort((short) (2 * format.channels())); // block align
    b.putShort((short) 16);
    b.put(new byte[] {'d', 'a', 't', 'a'});
    b.putInt((int) dataBytes);
    return b.array();
  }

  private void writeFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }
}
