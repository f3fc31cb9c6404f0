/**
 * STUN and TURN messages: a pure codec with no sockets, no clocks and no threads.
 *
 * <p>Specifications implemented:
 *
 * <ul>
 *   <li>RFC 8489 (STUN): message header, classes and methods, attribute framing and padding,
 *       MAPPED-ADDRESS, XOR-MAPPED-ADDRESS, USERNAME, REALM, NONCE, ERROR-CODE, UNKNOWN-ATTRIBUTES,
 *       SOFTWARE, MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, short-term and
 *       long-term credential keys (section 9). RFC 5769 gives the test vectors.
 *   <li>RFC 8265 (PRECIS): the OpaqueString profile that replaced SASLprep for passwords.
 *   <li>RFC 8656 (TURN): Allocate, Refresh, Send, Data, CreatePermission and ChannelBind;
 *       XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS, LIFETIME, REQUESTED-TRANSPORT, DATA, CHANNEL-NUMBER;
 *       ChannelData framing (section 12).
 *   <li>RFC 8445 (ICE): PRIORITY, USE-CANDIDATE, ICE-CONTROLLED and ICE-CONTROLLING.
 *   <li>RFC 7983: demultiplexing STUN, ZRTP, DTLS, TURN ChannelData and RTP/RTCP by first byte.
 * </ul>
 *
 * <p>Entry points: {@link io.github.jpeer.stun.StunMessage} (decode, typed accessors, verify,
 * builder), {@link io.github.jpeer.stun.StunCredentials} (keys), {@link
 * io.github.jpeer.stun.ChannelData} (TURN channel framing, zero-copy) and {@link
 * io.github.jpeer.stun.PacketDemux} (per-packet classification, zero allocation).
 *
 * <p>Error policy: bytes from the network never raise anything but the unchecked {@link
 * io.github.jpeer.stun.StunParseException} from {@code StunMessage.decode}; {@code ChannelData} and
 * {@code PacketDemux} report by return value. Misuse of the builders raises {@link
 * java.lang.IllegalArgumentException} with a message saying what to pass instead.
 */
package io.github.jpeer.stun;
