/** Audio for voice apps: Opus (RFC 6716) over Concentus, G.711, PCM, WAV and javax.sound. */
// Concentus 1.0.2 has neither a module-info nor an Automatic-Module-Name: it is the automatic
// module "concentus", a name derived from its jar's file name (Maven warns about publishing such
// a requires). Should Concentus ever name itself, this requires follows.
@SuppressWarnings("requires-automatic")
module io.github.jpeer.media {
  requires concentus;
  // AudioCapture and AudioPlayback open javax.sound lines. A plain requires (not static), so that
  // they work in an application that does not itself require java.desktop.
  requires java.desktop;

  exports io.github.jpeer.media;
}
