/** Two PeerConnections in one JVM, joined over loopback: the smallest complete jpeer program. */
package io.github.jpeer.examples.loopback;
