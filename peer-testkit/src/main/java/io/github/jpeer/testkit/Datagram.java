package io.github.jpeer.testkit;

import java.net.InetSocketAddress;

/**
 * One UDP datagram in flight on a {@link SimNetwork}.
 *
 * @param from the sender's address
 * @param to the destination address
 * @param data the payload; the network copies it on send, so the record owns its bytes
 */
public record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] data) {}
