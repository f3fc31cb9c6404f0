/** Audio for voice apps: Opus (RFC 6716) over Concentus, G.711, PCM, WAV and javax.sound. */
module io.github.jpeer.media {
  // Concentus has no module-info and no Automatic-Module-Name: its name comes from its jar's.
  requires concentus;
  // AudioCapture and AudioPlayback open javax.sound lines. A plain requires (not static), so that
  // they work in an application that does not itself require java.desktop.
  requires java.desktop;

  exports io.github.jpeer.media;
}
