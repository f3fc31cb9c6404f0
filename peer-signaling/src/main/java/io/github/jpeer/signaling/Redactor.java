package io.github.jpeer.signaling;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it leaves the module: every {@link SignalingException} goes
 * through {@link #scrub}, with the secrets of the request that failed.
 *
 * <p>A secret is replaced by {@link #MARKER} wherever it appears whole, and, for a secret of at
 * least {@link #PIECE} characters, wherever any run of {@link #PIECE} or more of its characters
 * appears (a server that quotes the start or the end of a key). A redacted run swallows the key
 * characters around it ({@code sk-proj-****abcd} becomes one marker, not {@code
 * [redacted]****abcd}). Text shaped like an OpenAI key ({@code sk-...}, {@code ek_...}, 20 or more
 * key characters) is redacted too, whoever's it is.
 */
final class Redactor {
  /** What a secret is replaced with. */
  static final String MARKER = "[redacted]";

  /** The shortest run of a secret's characters that counts as quoting it. */
  static final int PIECE = 8;

  private static final Pattern KEY_SHAPED =
      Pattern.compile("(?<![A-Za-z0-9_-])(?:sk|ek|rk)[-_][A-Za-z0-9_-]{20,}");

  private Redactor() {}

  /** The credentials {@code request} carries: the token of each {@code Authorization} header. */
  static List<String> secretsOf(HttpRequest request) {
    List<String> secrets = new ArrayList<>();
    for (String value : request.headers().allValues("Authorization")) {
      String v = value.strip();
      int space = v.indexOf(' ');
      // "Bearer <token>": the token is the secret, not the scheme in front of it.
      secrets.add(space > 0 ? v.substring(space + 1).strip() : v);
    }
    return secrets;
  }

  /** {@code text} with every secret (whole or an 8-character piece) replaced; null stays null. */
  static String scrub(String text, List<String> secrets) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    boolean[] hidden = new boolean[text.length()];
    boolean any = false;
    for (String secret : secrets) {
      if (secret == null || secret.isEmpty()) {
        continue;
      }
      any |=
          secret.length() < PIECE
              ? markWhole(text, secret, hidden)
              : markPieces(text, secret, hidden);
    }
    var m = KEY_SHAPED.matcher(text);
    while (m.find()) {
      any = true;
      for (int i = m.start(); i < m.end(); i++) {
        hidden[i] = true;
      }
    }
    if (!any) {
      return text;
    }
    widen(text, hidden);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      if (!hidden[i]) {
        out.append(text.charAt(i));
      } else if (i == 0 || !hidden[i - 1]) {
        out.append(MARKER);
      }
    }
    return out.toString();
  }

  private static boolean markWhole(String text, String secret, boolean[] hidden) {
    boolean found = false;
    for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
      found = true;
      for (int i = at; i < at + secret.length(); i++) {
        hidden[i] = true;
      }
    }
    return found;
  }

  /**
   * Marks every window of {@link #PIECE} characters that occurs in {@code secret}: together they
   * cover every run of {@link #PIECE} or more characters the text shares with it.
   */
  private static boolean markPieces(String text, String secret, boolean[] hidden) {
    Set<String> pieces = new HashSet<>();
    for (int i = 0; i + PIECE <= secret.length(); i++) {
      pieces.add(secret.substring(i, i + PIECE));
    }
    boolean found = false;
    for (int i = 0; i + PIECE <= text.length(); i++) {
      if (pieces.contains(text.substring(i, i + PIECE))) {
        found = true;
        for (int j = i; j < i + PIECE; j++) {
          hidden[j] = true;
        }
      }
    }
    return found;
  }

  /** Extends each hidden run over the key characters (and masking stars or dots) next to it. */
  private static void widen(String text, boolean[] hidden) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (hidden[i] && (i + 1 == n || !hidden[i + 1])) {
        for (int j = i + 1; j < n && keyChar(text, j); j++) {
          hidden[j] = true;
          i = j;
        }
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      if (hidden[i] && (i == 0 || !hidden[i - 1])) {
        for (int j = i - 1; j >= 0 && keyChar(text, j); j--) {
          hidden[j] = true;
          i = j;
        }
      }
    }
  }

  /** A character that can be part of a key or of its masked form; a dot only inside one. */
  private static boolean keyChar(String text, int i) {
    char c = text.charAt(i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    if (c == '-' || c == '_' || c == '*') {
      return true;
    }
    if (c == '.') {
      // "sk-****...abcd" is one masked key; "abcd. You can" ends a sentence.
      return i + 1 < text.length() && (text.charAt(i + 1) == '.' || keyChar(text, i + 1));
    }
    return false;
  }
}
