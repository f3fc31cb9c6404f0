/**
 * Not API: the JSON reader and writer that jpeer's signaling, MQTT and Realtime modules share.
 * Exported to those modules only; its types never appear in their public signatures, and it may
 * change in any release.
 */
package io.github.jpeer.signaling.internal;
