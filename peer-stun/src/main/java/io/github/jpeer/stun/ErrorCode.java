package io.github.jpeer.stun;

import java.util.Objects;

/**
 * The value of an ERROR-CODE attribute (RFC 8489 section 14.8): a code from 300 to 699 and a reason
 * phrase.
 *
 * @param code the error code, 300 to 699 (class times 100 plus number)
 * @param reason the UTF-8 reason phrase, possibly empty, at most 127 characters on send
 */
public record ErrorCode(int code, String reason) {

  /** 300 Try Alternate. */
  public static final int TRY_ALTERNATE = 300;

  /** 400 Bad Request. */
  public static final int BAD_REQUEST = 400;

  /** 401 Unauthenticated. */
  public static final int UNAUTHENTICATED = 401;

  /** 403 Forbidden (TURN). */
  public static final int FORBIDDEN = 403;

  /** 420 Unknown Attribute. */
  public static final int UNKNOWN_ATTRIBUTE = 420;

  /** 437 Allocation Mismatch (TURN). */
  public static final int ALLOCATION_MISMATCH = 437;

  /** 438 Stale Nonce. */
  public static final int STALE_NONCE = 438;

  /** 441 Wrong Credentials (TURN). */
  public static final int WRONG_CREDENTIALS = 441;

  /** 442 Unsupported Transport Protocol (TURN). */
  public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;

  /** 486 Allocation Quota Reached (TURN). */
  public static final int ALLOCATION_QUOTA_REACHED = 486;

  /** 487 Role Conflict (ICE, RFC 8445 section 7.3.1.1). */
  public static final int ROLE_CONFLICT = 487;

  /** 500 Server Error. */
  public static final int SERVER_ERROR = 500;

  /** 508 Insufficient Capacity (TURN). */
  public static final int INSUFFICIENT_CAPACITY = 508;

  /**
   * Creates an error code.
   *
   * @param code 300 to 699
   * @param reason the reason phrase, not null
   * @throws IllegalArgumentException if the code is out of range
   */
  public ErrorCode {
    if (code < 300 || code > 699) {
      throw new IllegalArgumentException("STUN error codes are 300..699, got " + code);
    }
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns the class digit, the hundreds of the code (3 to 6).
   *
   * @return the error class
   */
  public int errorClass() {
    return code / 100;
  }

  /**
   * Returns the number, the code modulo 100.
   *
   * @return 0 to 99
   */
  public int number() {
    return code % 100;
  }
}
