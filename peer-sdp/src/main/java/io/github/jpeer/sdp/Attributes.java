package io.github.jpeer.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Attribute list helpers and the parse-time check of the attributes this package types. */
final class Attributes {
  private Attributes() {}

  static Optional<Attribute> first(List<Attribute> attributes, String name) {
    for (Attribute a : attributes) {
      if (a.is(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  static List<Attribute> all(List<Attribute> attributes, String name) {
    return attributes.stream().filter(a -> a.is(name)).toList();
  }

  static Optional<String> value(List<Attribute> attributes, String name) {
    for (Attribute a : attributes) {
      if (a.is(name) && a.value() != null) {
        return Optional.of(a.value());
      }
    }
    return Optional.empty();
  }

  /** Parses the value of every attribute of this name that has one, in order. */
  static <T> List<T> typed(List<Attribute> attributes, String name, Function<String, T> parser) {
    List<T> out = new ArrayList<>();
    for (Attribute a : attributes) {
      if (a.is(name) && a.value() != null) {
        out.add(parser.apply(a.value()));
      }
    }
    return List.copyOf(out);
  }

  /** The first direction attribute ({@code a=sendrecv} and the like), or empty. */
  static Optional<Direction> direction(List<Attribute> attributes) {
    for (Attribute a : attributes) {
      if (a.value() == null) {
        Optional<Direction> d = Direction.fromToken(a.name());
        if (d.isPresent()) {
          return d;
        }
      }
    }
    return Optional.empty();
  }

  /** A copy of {@code attributes} with {@code attribute} appended. */
  static List<Attribute> with(List<Attribute> attributes, Attribute attribute) {
    List<Attribute> more = new ArrayList<>(attributes);
    more.add(Objects.requireNonNull(attribute, "attribute"));
    return more;
  }

  static List<Attribute> without(List<Attribute> attributes, String name) {
    return attributes.stream().filter(a -> !a.is(name)).toList();
  }

  /** Replaces the first attribute of the name in place, drops later ones, or appends. */
  static List<Attribute> set(List<Attribute> attributes, Attribute replacement) {
    List<Attribute> out = new ArrayList<>();
    boolean placed = false;
    for (Attribute a : attributes) {
      if (!a.is(replacement.name())) {
        out.add(a);
      } else if (!placed) {
        out.add(replacement);
        placed = true;
      }
    }
    if (!placed) {
      out.add(replacement);
    }
    return out;
  }

  static List<String> iceOptions(List<Attribute> attributes) {
    List<String> out = new ArrayList<>();
    for (Attribute a : attributes) {
      if (a.is("ice-options") && a.value() != null) {
        out.addAll(Values.tokens(a.value()));
      }
    }
    return List.copyOf(out);
  }

  static boolean isRtpProto(String proto) {
    return Values.asciiLower(proto).contains("rtp");
  }

  static int sctpPort(String value) {
    return Values.unsignedInt(Values.strip(value), 65535, value, "expected an SCTP port number");
  }

  static long maxMessageSize(String value) {
    return Values.unsigned(
        Values.strip(value), Long.MAX_VALUE, value, "expected a message size in bytes");
  }

  /**
   * Checks the value of an attribute this package has a type for, so that malformed input fails at
   * parse time with its line number and the typed accessors never fail later.
   *
   * @param proto the section's proto, or {@code null} at session level; payload-type attributes are
   *     only checked in RTP sections, since elsewhere their format need not be a number
   * @throws SdpParseException without line information
   */
  static void validate(Attribute a, String proto) {
    String name = Values.asciiLower(a.name());
    boolean rtp = proto != null && isRtpProto(proto);
    switch (name) {
      case "candidate" -> Candidate.parse(require(a, "a candidate"));
      case "fingerprint" -> Fingerprint.parse(require(a, "<hash-func> <fingerprint>"));
      case "setup" -> Setup.parse(require(a, "actpass, active, passive or holdconn"));
      case "group" -> Group.parse(require(a, "<semantics> *(<mid>)"));
      case "extmap" -> ExtMap.parse(require(a, "<id>[/<direction>] <uri>"));
      case "ssrc" -> Ssrc.parse(require(a, "<ssrc> <attribute>[:<value>]"));
      case "ssrc-group" -> SsrcGroup.parse(require(a, "<semantics> *(<ssrc>)"));
      case "msid" -> Msid.parse(require(a, "<stream id> [<track id>]"));
      case "sctpmap" -> SctpMap.parse(require(a, "<port> <protocol> [<streams>]"));
      case "sctp-port" -> sctpPort(require(a, "an SCTP port number"));
      case "max-message-size" -> maxMessageSize(require(a, "a message size in bytes"));
      case "mid" -> requireNonEmpty(a, "a media id");
      case "ice-ufrag" -> requireNonEmpty(a, "an ICE username fragment");
      case "ice-pwd" -> requireNonEmpty(a, "an ICE password");
      case "rtpmap" -> {
        if (rtp) {
          RtpMap.parse(require(a, "<payload type> <encoding name>/<clock rate>"));
        }
      }
      case "fmtp" -> {
        if (rtp) {
          Fmtp.parse(require(a, "<payload type> <parameters>"));
        }
      }
      case "rtcp-fb" -> {
        if (rtp) {
          RtcpFeedback.parse(require(a, "<payload type> <feedback type>"));
        }
      }
      default -> {
        // Unknown attributes are kept verbatim (RFC 8866 section 5.13: ignore what you do not
        // know).
      }
    }
  }

  private static String require(Attribute a, String expected) {
    if (a.value() == null) {
      throw new SdpParseException(a.toString(), "expected a value: " + expected);
    }
    return a.value();
  }

  private static void requireNonEmpty(Attribute a, String expected) {
    if (a.value() == null || Values.strip(a.value()).isEmpty()) {
      throw new SdpParseException(a.toString(), "expected " + expected);
    }
  }
}
