/**
 * Audio for voice apps: Opus over Concentus (RFC 6716), G.711 (ITU-T G.711), PCM frames,
 * resampling, WAV files and javax.sound capture and playback.
 */
package io.github.jpeer.media;
