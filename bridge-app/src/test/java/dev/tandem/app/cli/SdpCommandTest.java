package dev.tandem.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SdpCommandTest {
  private static final Path CAPTURES = Path.of("../sdp-translate/src/test/resources/sdp");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String stdin, String... args) {
    CommandLine cl =
        TandemCommand.commandLine(
            Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String capture(String name) throws Exception {
    return Files.readString(CAPTURES.resolve(name));
  }

  @Test
  void checkSummarisesWhatTheBridgeReasonsAbout() throws Exception {
    assertThat(run(capture("chrome-offer-audio-only.sdp"), "sdp", "check")).isZero();
    assertThat(out.toString())
        .startsWith("ok: 1 media section, o=- ")
        .contains("session: group BUNDLE 0")
        .contains("m[0] audio ")
        .contains("UDP/TLS/RTP/SAVPF mid=0 sendrecv")
        .contains("codecs: 111 opus/48000/2, 63 red/48000/2, 9 G722/8000")
        .contains("dtls: setup actpass, fingerprint sha-256 ")
        .contains("rtcp: mux");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void checkNamesTheBrokenLineAndFails() throws Exception {
    String broken =
        capture("sipp-uac-offer.sdp").replace("m=audio 6100 RTP/AVP 8", "m=audio 6100 RTP/AVP");
    assertThat(run(broken, "sdp", "check")).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "error: <stdin>: line 6: m= needs <media> <port> <proto> <fmt>...\n  > m=audio 6100 RTP/AVP\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkReadsAFileAndReportsAMissingOne() {
    assertThat(run("", "sdp", "check", CAPTURES.resolve("sipp-uac-offer.sdp").toString())).isZero();
    assertThat(out.toString()).contains("codecs: 8 PCMA/8000");
    assertThat(run("", "sdp", "check", "no-such.sdp")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("error: no-such.sdp: no such file\n");
  }

  @Test
  void toPlainPrintsTheSipOffer() throws Exception {
    assertThat(
            run(
                capture("chrome-offer-audio-only.sdp"),
                "sdp",
                "to-plain",
                "--address",
                "127.0.0.1",
                "--port",
                "30000"))
        .isZero();
    SessionDescription plain = SessionDescription.parse(out.toString());
    MediaDescription audio = plain.media().get(0);
    assertThat(audio.media().toValue()).isEqualTo("audio 30000 RTP/AVP 9 0 8 126");
    assertThat(audio.iceUfrag()).isEmpty();
    assertThat(err.toString()).isEqualTo("payload types (browser=SIP): {0=0, 8=8, 9=9, 126=126}\n");
  }

  @Test
  void toWebRtcUsesGivenCredentialsOrGeneratesThem() throws Exception {
    String sipp = capture("sipp-uac-offer.sdp");
    assertThat(
            run(
                sipp,
                "sdp",
                "to-webrtc",
                "--address",
                "127.0.0.1",
                "--port",
                "40000",
                "--ice-ufrag",
                "abcd",
                "--ice-pwd",
                "abcdefghijklmnopqrstuvwxyz",
                "--fingerprint",
                "sha-256 " + "AB:".repeat(31) + "AB"))
        .isZero();
    MediaDescription audio = SessionDescription.parse(out.toString()).media().get(0);
    assertThat(audio.iceUfrag()).contains("abcd");
    assertThat(audio.icePwd()).contains("abcdefghijklmnopqrstuvwxyz");
    assertThat(audio.fingerprint().orElseThrow().fingerprint()).startsWith("AB:AB");
    out.getBuffer().setLength(0);
    assertThat(run(sipp, "sdp", "to-webrtc", "--address", "127.0.0.1", "--port", "40000")).isZero();
    MediaDescription generated = SessionDescription.parse(out.toString()).media().get(0);
    assertThat(generated.iceUfrag().orElseThrow()).hasSize(8);
    assertThat(generated.icePwd().orElseThrow()).hasSize(24);
    assertThat(generated.fingerprint()).isPresent();
  }

  @Test
  void translatesAnswersAgainstTheirOffer() throws Exception {
    String offer = CAPTURES.resolve("e2e-rtpengine-1-chrome-offer.sdp").toString();
    assertThat(
            run(
                capture("e2e-rtpengine-3-sipp-answer.sdp"),
                "sdp",
                "to-webrtc",
                "--address",
                "127.0.0.1",
                "--port",
                "40000",
                "--offer",
                offer))
        .isZero();
    MediaDescription audio = SessionDescription.parse(out.toString()).media().get(0);
    assertThat(audio.setup().orElseThrow().attributeValue()).isEqualTo("active");
    assertThat(audio.payloadTypes()).containsExactly(8);
  }

  @Test
  void reportsAnUntranslatableOfferOnOneLine() throws Exception {
    String g729 = capture("sipp-uac-offer.sdp").replace("RTP/AVP 8", "RTP/AVP 18");
    assertThat(run(g729, "sdp", "to-webrtc", "--address", "127.0.0.1", "--port", "40000"))
        .isEqualTo(1);
    assertThat(err.toString())
        .startsWith("error: no offered codec can go to a browser without transcoding");
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void cryptoLinesAreShownRedactedAndCheckedAndSdesOffersAreMade() throws Exception {
    String key = "inline:" + java.util.Base64.getEncoder().encodeToString(new byte[30]);
    String savp =
        capture("sipp-uac-offer.sdp").replace("RTP/AVP", "RTP/SAVP")
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
            + key
            + "\r\na=crypto:2 AES_CM_128_HMAC_SHA1_80 "
            + key
            + "|2^20\r\n";
    assertThat(run(savp, "sdp", "check")).isZero();
    assertThat(out.toString())
        .contains("sdes: a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:*** (usable)")
        .contains("sdes: a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:***|2^20 (refused: ")
        .doesNotContain(key);

    out.getBuffer().setLength(0);
    assertThat(
            run(
                capture("chrome-offer-audio-only.sdp"),
                "sdp",
                "to-plain",
                "--address",
                "127.0.0.1",
                "--port",
                "30000",
                "--media-encryption",
                "sdes-required"))
        .isZero();
    assertThat(out.toString())
        .contains("m=audio 30000 RTP/SAVP ")
        .contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:***\r\n")
        .doesNotContain("a=crypto:2"); // one line: the suite every SDES peer speaks
  }
}
