package io.github.jpeer.stun;

/**
 * The outcome of checking a received message's FINGERPRINT and MESSAGE-INTEGRITY, saying which
 * check failed so that a caller can answer or count it precisely.
 *
 * @see StunMessage#verify(byte[], boolean)
 */
public enum StunVerification {
  /** Every requested check passed. */
  OK,
  /** The message carries neither MESSAGE-INTEGRITY nor MESSAGE-INTEGRITY-SHA256. */
  NO_INTEGRITY,
  /** A MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 value does not match the key. */
  BAD_INTEGRITY,
  /** A FINGERPRINT was required but the message has none. */
  NO_FINGERPRINT,
  /** The FINGERPRINT value does not match the CRC-32 of the message. */
  BAD_FINGERPRINT
}
