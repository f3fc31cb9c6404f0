/**
 * jpeer's public API: {@code PeerConnection}, its configuration, states, callbacks and the UDP
 * driver. The only module that touches sockets.
 */
package io.github.jpeer;
