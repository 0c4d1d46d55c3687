package dev.tandem.app.cli;

import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Crypto;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.OfferAnswer;
import dev.tandem.sdp.translate.PlainEndpoint;
import dev.tandem.sdp.translate.Sdes;
import dev.tandem.sdp.translate.SdpTranslationException;
import dev.tandem.sdp.translate.SdpTranslator;
import dev.tandem.sdp.translate.Translation;
import dev.tandem.sdp.translate.TranslationOptions;
import dev.tandem.sdp.translate.WebRtcEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem sdp}: the bridge's SDP parser and translator on the command line, for debugging
 * interop. Input is a file or standard input; translated SDP goes to standard output, the
 * payload-type map and errors to standard error.
 */
@Command(
    name = "sdp",
    mixinStandardHelpOptions = true,
    description = "Check or translate SDP the way the bridge does.",
    subcommands = {
      SdpCommand.CheckCommand.class,
      SdpCommand.ToPlainCommand.class,
      SdpCommand.ToWebRtcCommand.class
    })
final class SdpCommand {
  private SdpCommand() {}

  /** Where the SDP comes from: a file or standard input. */
  static final class Input {
    @Parameters(
        arity = "0..1",
        paramLabel = "FILE",
        description = "SDP to read (default: standard input).")
    Path file;

    String name() {
      return file == null ? "<stdin>" : file.toString();
    }

    SessionDescription read(InputStream stdin) throws IOException, SdpFailure {
      return parse(
          name(),
          file == null ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : readFile(file));
    }
  }

  /** A problem already phrased for the user; reported on one line, exit status 1. */
  static final class SdpFailure extends Exception {
    private static final long serialVersionUID = 1L;

    SdpFailure(String message) {
      super(message);
    }
  }

  static SessionDescription parse(String name, String text) throws SdpFailure {
    try {
      return SessionDescription.parse(text);
    } catch (SdpParseException e) {
      throw new SdpFailure(name + ": " + e.getMessage() + "\n  > " + e.text());
    }
  }

  static String readFile(Path file) throws IOException, SdpFailure {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SdpFailure(file + ": no such file");
    }
  }

  static int report(CommandSpec spec, SdpFailure e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + e.getMessage());
    err.flush();
    return TandemCommand.EXIT_FAILURE;
  }

  static int print(CommandSpec spec, Translation t) {
    spec.commandLine().getOut().print(redacted(t.sdp().toString()));
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().println("payload types (browser=SIP): " + t.payloadTypes());
    spec.commandLine().getErr().flush();
    return 0;
  }

  /** {@code tandem sdp check}: parse and summarise, or name the broken line. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Parse SDP and print a summary, or the error with its line number (exit 1).")
  static final class CheckCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin Input input;
    @Spec CommandSpec spec;
    private final InputStream stdin;

    CheckCommand(InputStream stdin) {
      this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
      try {
        PrintWriter out = spec.commandLine().getOut();
        out.print(summary(input.read(stdin)));
        out.flush();
        return 0;
      } catch (SdpFailure e) {
        return report(spec, e);
      }
    }
  }

  /** {@code tandem sdp to-plain}: WebRTC SDP to the plain RTP form a SIP peer gets. */
  @Command(
      name = "to-plain",
      mixinStandardHelpOptions = true,
      description = {
        "Translate a browser's (WebRTC) SDP into what the bridge sends to SIP.",
        "An offer by default; with --offer, an answer to that SIP offer."
      })
  static final class ToPlainCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin Input input;

    @Option(names = "--address", required = true, description = "Relay address for c=.")
    String address;

    @Option(names = "--port", required = true, description = "Relay RTP port.")
    int port;

    @Option(
        names = "--rtcp-port",
        description = "Relay RTCP port (default: port + 1; = port for rtcp-mux).")
    Integer rtcpPort;

    @Option(names = "--opus", description = "Let opus through to SIP (default: off).")
    boolean opus;

    @Option(names = "--offer", paramLabel = "FILE", description = "The SIP offer this SDP answers.")
    Path offer;

    @Option(
        names = "--media-encryption",
        description =
            "plain, sdes-preferred or sdes-required: an offer with SDES keys (RTP/SAVP), and"
                + " whether a plain SIP offer is refused (default: plain). Keys print as ***.")
    String mediaEncryption;

    @Spec CommandSpec spec;
    private final InputStream stdin;

    ToPlainCommand(InputStream stdin) {
      this.stdin = stdin;
    }

    private MediaEncryption policy() {
      if (mediaEncryption == null) {
        return MediaEncryption.PLAIN;
      }
      for (MediaEncryption m : MediaEncryption.values()) {
        if (m.configName.equals(mediaEncryption)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "--media-encryption: plain, sdes-preferred or sdes-required, not " + mediaEncryption);
    }

    private List<SdesKey> sdesOffer() {
      List<SdesKey> keys = new ArrayList<>();
      if (policy().offersSrtp()) {
        for (int i = 0; i < Sdes.OFFERED.size(); i++) {
          keys.add(SdesKey.generate(i + 1, Sdes.OFFERED.get(i), new SecureRandom()));
        }
      }
      return keys;
    }

    /** The answer to a SIP offer, with a fresh SDES key where it offered RTP/SAVP(F). */
    private Translation answer(
        SdpTranslator translator,
        SessionDescription browserAnswer,
        SessionDescription sipOffer,
        PlainEndpoint relay)
        throws SdpTranslationException {
      java.util.OptionalInt audio = OfferAnswer.carriedAudio(sipOffer);
      Optional<SdesKey> theirs =
          audio.isPresent()
              ? Sdes.acceptOffer(sipOffer.media().get(audio.getAsInt()), policy())
              : Optional.empty();
      Optional<SdesKey> ours =
          theirs.map(k -> SdesKey.generate(k.tag(), k.suite(), new SecureRandom()));
      return translator.toPlainAnswer(browserAnswer, sipOffer, relay, ours);
    }

    @Override
    public Integer call() throws IOException {
      try {
        PlainEndpoint relay =
            new PlainEndpoint(address, port, rtcpPort == null ? port + 1 : rtcpPort);
        SdpTranslator translator = new SdpTranslator(new TranslationOptions(opus));
        SessionDescription sdp = input.read(stdin);
        return print(
            spec,
            offer == null
                ? translator.toPlainOffer(sdp, relay, sdesOffer())
                : answer(translator, sdp, parse(offer.toString(), readFile(offer)), relay));
      } catch (SdpFailure e) {
        return report(spec, e);
      } catch (SdpTranslationException | IllegalArgumentException e) {
        return report(spec, new SdpFailure(e.getMessage()));
      }
    }
  }

  /** {@code tandem sdp to-webrtc}: plain SDP to the WebRTC form a browser gets. */
  @Command(
      name = "to-webrtc",
      mixinStandardHelpOptions = true,
      description = {
        "Translate a SIP peer's (plain RTP) SDP into what the bridge sends to a browser.",
        "An offer by default; with --offer, an answer to that browser offer.",
        "ICE credentials and the fingerprint are generated when not given; a generated",
        "fingerprint is random, for reading only: no certificate backs it."
      })
  static final class ToWebRtcCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin Input input;

    @Option(
        names = "--address",
        required = true,
        description = "Relay address for c= and the candidate.")
    String address;

    @Option(names = "--port", required = true, description = "Relay port (BUNDLE, rtcp-mux).")
    int port;

    @Option(names = "--ice-ufrag", description = "ICE username fragment (default: generated).")
    String iceUfrag;

    @Option(names = "--ice-pwd", description = "ICE password (default: generated).")
    String icePwd;

    @Option(
        names = "--fingerprint",
        paramLabel = "'HASH XX:XX:...'",
        description = "DTLS fingerprint, e.g. 'sha-256 8E:B8:...' (default: generated).")
    String fingerprint;

    @Option(
        names = "--setup",
        defaultValue = "active",
        description =
            "DTLS role answering a browser's actpass: active or passive (default: ${DEFAULT-VALUE}).")
    String setup;

    @Option(
        names = "--offer",
        paramLabel = "FILE",
        description = "The browser offer this SDP answers.")
    Path offer;

    @Spec CommandSpec spec;
    private final InputStream stdin;
    private final SecureRandom random = new SecureRandom();

    ToWebRtcCommand(InputStream stdin) {
      this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
      try {
        WebRtcEndpoint relay =
            new WebRtcEndpoint(
                address,
                port,
                iceUfrag == null ? WebRtcEndpoint.randomIceUfrag() : iceUfrag,
                icePwd == null ? WebRtcEndpoint.randomIcePwd() : icePwd,
                fingerprint == null ? randomFingerprint() : Fingerprint.parse(fingerprint),
                Setup.parse(setup));
        SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());
        SessionDescription sdp = input.read(stdin);
        return print(
            spec,
            offer == null
                ? translator.toWebRtcOffer(sdp, relay)
                : translator.toWebRtcAnswer(sdp, parse(offer.toString(), readFile(offer)), relay));
      } catch (SdpFailure e) {
        return report(spec, e);
      } catch (SdpTranslationException | IllegalArgumentException e) {
        return report(spec, new SdpFailure(e.getMessage()));
      }
    }

    private Fingerprint randomFingerprint() {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      return Fingerprint.of("sha-256", hash);
    }
  }

  /** {@code sdp} with the key of every {@code a=crypto} line shown as {@code ***}. */
  static String redacted(String sdp) {
    StringBuilder out = new StringBuilder();
    for (String line : sdp.split("(?<=\n)")) {
      if (line.startsWith("a=" + Crypto.NAME + ":")) {
        String end = line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
        try {
          out.append("a=crypto:")
              .append(Crypto.parse(line.substring(9, line.length() - end.length())).redacted())
              .append(end);
        } catch (IllegalArgumentException e) {
          out.append("a=crypto:***").append(end);
        }
      } else {
        out.append(line);
      }
    }
    return out.toString();
  }

  /** One screen about a description: per m-line, what the bridge would reason about. */
  static String summary(SessionDescription sdp) {
    StringBuilder sb = new StringBuilder();
    sb.append("ok: ")
        .append(sdp.media().size())
        .append(sdp.media().size() == 1 ? " media section" : " media sections")
        .append(", o=")
        .append(sdp.origin().toValue())
        .append('\n');
    List<String> session = new ArrayList<>();
    sdp.connection().ifPresent(c -> session.add("c=" + c.toValue()));
    sdp.groups()
        .forEach(g -> session.add("group " + g.semantics() + " " + String.join(" ", g.mids())));
    if (sdp.iceLite()) {
      session.add("ice-lite");
    }
    if (!session.isEmpty()) {
      sb.append("session: ").append(String.join(", ", session)).append('\n');
    }
    for (int i = 0; i < sdp.media().size(); i++) {
      MediaDescription m = sdp.media().get(i);
      sb.append("m[")
          .append(i)
          .append("] ")
          .append(m.media().media())
          .append(' ')
          .append(m.media().port());
      sb.append(' ').append(m.media().proto());
      m.mid().ifPresent(mid -> sb.append(" mid=").append(mid));
      if (m.isRejected()) {
        sb.append(" rejected\n");
        continue;
      }
      sb.append(' ').append(sdp.direction(m).attributeName());
      if (OfferAnswer.isHold(sdp, m)) {
        sb.append(" (hold)");
      }
      sdp.connection(m).ifPresent(c -> sb.append(" c=").append(c.connectionAddress()));
      sb.append('\n');
      List<Integer> pts = m.payloadTypes();
      if (!pts.isEmpty()) {
        sb.append("  codecs: ")
            .append(
                pts.stream()
                    .map(pt -> pt + " " + m.codec(pt).map(Codec::toString).orElse("?"))
                    .collect(Collectors.joining(", ")))
            .append('\n');
      } else {
        sb.append("  formats: ").append(String.join(" ", m.media().formats())).append('\n');
      }
      List<Candidate> candidates = m.candidates();
      Optional<String> ufrag = sdp.mediaOrSession(m, "ice-ufrag");
      if (ufrag.isPresent() || !candidates.isEmpty()) {
        sb.append("  ice: ufrag ")
            .append(ufrag.orElse("-"))
            .append(", ")
            .append(candidates.size())
            .append(" candidates (")
            .append(candidates.stream().filter(Candidate::isUdp).count())
            .append(" udp)")
            .append(m.endOfCandidates() ? ", end-of-candidates" : "")
            .append('\n');
      }
      Optional<Fingerprint> fp = sdp.mediaOrSession(m, Fingerprint.NAME).map(Fingerprint::parse);
      Optional<Setup> setup = sdp.mediaOrSession(m, Setup.NAME).map(Setup::parse);
      if (fp.isPresent() || setup.isPresent()) {
        sb.append("  dtls: setup ")
            .append(setup.map(Setup::attributeValue).orElse("-"))
            .append(", fingerprint ")
            .append(
                fp.map(
                        f ->
                            f.hashFunction()
                                + " "
                                + f.fingerprint()
                                    .substring(0, Math.min(11, f.fingerprint().length()))
                                + "...")
                    .orElse("-"))
            .append('\n');
      }
      for (Crypto c : m.cryptos()) {
        String usable;
        try {
          SdesKey.of(c);
          usable = "usable";
        } catch (IllegalArgumentException e) {
          usable = "refused: " + e.getMessage();
        }
        sb.append("  sdes: a=crypto:")
            .append(c.redacted())
            .append(" (")
            .append(usable)
            .append(")\n");
      }
      if (pts.isEmpty()) {
        continue;
      }
      sb.append("  rtcp: ")
          .append(
              m.rtcpMux()
                  ? "mux"
                  : m.rtcp().map(r -> "port " + r.port()).orElse("port " + (m.media().port() + 1)))
          .append(m.ptime().isPresent() ? ", ptime " + m.ptime().getAsInt() : "")
          .append('\n');
    }
    return sb.toString();
  }
}
