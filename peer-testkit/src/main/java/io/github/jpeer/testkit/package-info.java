/**
 * Test support for jpeer's sans-IO cores: a virtual clock and a simulated datagram network with
 * loss, duplication, delay, jitter (and so reordering) and partitions, all driven by a seed so that
 * every run of a test sees the same packets in the same order.
 *
 * <p>Used in test scope only; nothing in here is API for applications.
 */
package io.github.jpeer.testkit;
