/** Talks to the OpenAI Realtime API over WebRTC: voice in, voice out, and the oai-events channel. */
package io.github.jpeer.examples.openai;
