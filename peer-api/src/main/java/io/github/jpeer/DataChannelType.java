package io.github.jpeer;

/** Whether a connection negotiates a data channel, and which message kind libpeer's calls send. */
public enum DataChannelType {
  /** No {@code m=application} section: no SCTP association. */
  NONE,
  /** Messages sent with {@code sendDataChannel(...)} are UTF-8 strings (PPID 51). */
  STRING,
  /** Messages sent with {@code sendDataChannel(...)} are binary (PPID 53). */
  BINARY
}
