package dev.tandem.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpParserTest {

  private static final String SIPP =
      "v=0\r\n"
          + "o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n"
          + "s=-\r\n"
          + "c=IN IP4 127.0.0.1\r\n"
          + "t=0 0\r\n"
          + "m=audio 6000 RTP/AVP 8 101\r\n"
          + "a=rtpmap:8 PCMA/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\n"
          + "a=fmtp:101 0-15\r\n";

  private static SdpParseException failure(String sdp) {
    try {
      SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      return e;
    }
    throw new AssertionError("parsed without error:\n" + sdp);
  }

  @Test
  void readsEveryTypedViewOfARealChromiumOffer() {
    SessionDescription sdp = Captures.parse("chrome-offer-audio-only.sdp");
    assertThat(sdp.origin().unicastAddress()).isEqualTo("127.0.0.1");
    assertThat(sdp.bundle()).contains(new Group("BUNDLE", List.of("0")));
    MediaDescription audio = sdp.media().get(0);
    assertThat(audio.media().proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
    assertThat(audio.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
    assertThat(audio.codec(111)).contains(Codec.OPUS);
    assertThat(audio.codec(126)).contains(Codec.TELEPHONE_EVENT);
    assertThat(audio.fmtp(111).flatMap(f -> f.parameter("useinbandfec"))).contains("1");
    assertThat(audio.rtcpFbs()).contains(new RtcpFb("111", "transport-cc", Optional.empty()));
    assertThat(audio.direction()).contains(Direction.SENDRECV);
    assertThat(audio.mid()).contains("0");
    assertThat(audio.rtcpMux()).isTrue();
    assertThat(audio.rtcp()).contains(new Rtcp(9, Optional.of(Connection.of("0.0.0.0"))));
    assertThat(audio.iceUfrag()).isPresent();
    assertThat(audio.icePwd()).isPresent();
    assertThat(audio.iceOptions()).containsExactly("trickle");
    assertThat(audio.fingerprint().map(Fingerprint::hashFunction)).contains("sha-256");
    assertThat(audio.fingerprint().map(f -> f.bytes().length)).contains(32);
    assertThat(audio.setup()).contains(Setup.ACTPASS);
    assertThat(audio.extmaps()).extracting(Extmap::id).containsExactly(1, 2, 3, 4);
    assertThat(audio.ssrcs()).extracting(Ssrc::attribute).contains("cname", "msid");
    assertThat(audio.msid()).isPresent();
    assertThat(audio.candidates()).isNotEmpty();
  }

  @Test
  void readsCandidatesWithTcptypeAndExtensions() {
    MediaDescription audio = Captures.parse("e2e-rtpengine-1-chrome-offer.sdp").media().get(0);
    Candidate tcp = audio.candidates().get(1);
    assertThat(tcp.transport()).isEqualTo("tcp");
    assertThat(tcp.tcptype()).contains("active");
    assertThat(tcp.extension("network-cost")).contains("50");
    assertThat(tcp.toValue())
        .isEqualTo(
            "775524572 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0"
                + " network-id 1 network-cost 50");
    Candidate srflx =
        Candidate.parse(
            "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.2"
                + " rport 46154 generation 0 ufrag EsAw");
    assertThat(srflx.relatedAddress()).contains("10.0.0.2");
    assertThat(srflx.relatedPort()).isEqualTo(OptionalInt.of(46154));
    assertThat(srflx.extension("ufrag")).contains("EsAw");
    assertThat(Candidate.parse("a=" + srflx.toAttribute().toString().substring(2)))
        .isEqualTo(srflx);
  }

  @Test
  void readsFirefoxSessionLevelDtlsAndDirection() {
    SessionDescription sdp = Captures.parse("firefox-offer-audio-only.sdp");
    MediaDescription audio = sdp.media().get(0);
    assertThat(sdp.attribute("fingerprint")).isPresent();
    assertThat(sdp.mediaOrSession(audio, "fingerprint")).isPresent();
    assertThat(sdp.direction(audio)).isEqualTo(Direction.SENDRECV);
    assertThat(audio.codec(9)).contains(Codec.G722);
    assertThat(audio.candidates()).anyMatch(c -> c.address().equals("::1"));
    assertThat(audio.endOfCandidates()).isTrue();
    assertThat(audio.extmaps().get(1).direction()).contains(Direction.RECVONLY);
  }

  @Test
  void readsDataChannelAndSdes() throws SdpParseException {
    MediaDescription data =
        Captures.parse("chrome-offer-audio-video-datachannel.sdp").media().get(2);
    assertThat(data.sctpPort()).isEqualTo(OptionalInt.of(5000));
    assertThat(data.payloadTypes()).isEmpty();
    String sdes =
        SIPP.replace("RTP/AVP", "RTP/SAVP")
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4\r\n";
    Crypto crypto = SessionDescription.parse(sdes).media().get(0).cryptos().get(0);
    assertThat(crypto.suite()).isEqualTo("AES_CM_128_HMAC_SHA1_80");
    assertThat(crypto.keyParams()).startsWith("inline:PS1u");
  }

  @Test
  void keepsUnknownAttributesUntouched() throws SdpParseException {
    String sdp = SIPP + "a=x-vendor-thing: weird  value;;\r\na=flag\r\na=empty:\r\n";
    SessionDescription parsed = SessionDescription.parse(sdp);
    assertThat(parsed.media().get(0).attributes())
        .contains(
            Attribute.of("x-vendor-thing", " weird  value;;"),
            Attribute.property("flag"),
            Attribute.of("empty", ""));
    assertThat(parsed.toString()).isEqualTo(sdp);
  }

  @Test
  void isLenientWhereEndpointsAreSloppy() throws SdpParseException {
    String sloppy =
        "v=0\n"
            + "o=user1 1 1 IN IP4 127.0.0.1  \n"
            + "c=IN  IP4 127.0.0.1\n"
            + "\n"
            + "m=audio 6000 RTP/AVP 0\t\n"
            + "a=ptime:20.0\n";
    SessionDescription sdp = SessionDescription.parse(sloppy);
    assertThat(sdp.sessionName()).isEqualTo("-");
    assertThat(sdp.timings()).containsExactly(Timing.PERMANENT);
    assertThat(sdp.media().get(0).ptime()).isEqualTo(OptionalInt.of(20));
    assertThat(sdp.toString())
        .isEqualTo(
            "v=0\r\no=user1 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 6000 RTP/AVP 0\r\na=ptime:20.0\r\n");
    assertThat(SessionDescription.parse(SIPP.replace("s=-", "s= ")).toString())
        .isEqualTo(SIPP.replace("s=-", "s= "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '#',
      textBlock =
          """
          m= without formats       # m=audio 6000 RTP/AVP 8 101    # m=audio 6000 RTP/AVP      # 6 # m= needs <media> <port> <proto> <fmt>...
          m= port too big          # m=audio 6000 RTP/AVP 8 101    # m=audio 70000 RTP/AVP 8 101 # 6 # m= needs <media> <port> <proto> <fmt>...
          c= with bad address type # c=IN IP4 127.0.0.1            # c=IN IPX 127.0.0.1        # 4 # c= needs IN IP4|IP6 <address>
          c= with a broken address # c=IN IP4 127.0.0.1            # c=IN IP4 300.1.1.1        # 4 # c= needs IN IP4|IP6 <address>
          o= missing a field       # o=user1 53655765 2353687637 IN IP4 127.0.0.1 # o=user1 53655765 IN IP4 127.0.0.1 # 2 # o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
          t= not numeric           # t=0 0                         # t=now 0                   # 5 # t= needs <start-time> <stop-time>
          rtpmap payload type      # a=rtpmap:8 PCMA/8000          # a=rtpmap:128 PCMA/8000    # 7 # a=rtpmap needs <payload type> <encoding name>/<clock rate>[/<encoding parameters>] with a payload type from 0 to 127
          rtpmap without rate      # a=rtpmap:8 PCMA/8000          # a=rtpmap:8 PCMA           # 7 # a=rtpmap needs <payload type> <encoding name>/<clock rate>[/<encoding parameters>] with a payload type from 0 to 127
          unknown line type        # s=-                           # x=hello                   # 3 # unknown line type x= (RFC 8866 §5 knows v o s i u e p c b t r z k a m)
          no type letter           # s=-                           # hello                     # 3 # every line needs <type>=<value> with a one-letter type
          session line after m=    # a=fmtp:101 0-15               # t=0 0                     # 9 # t= belongs to the session part, before the first m=
          second o=                # s=-                           # o=x 1 1 IN IP4 1.2.3.4    # 3 # o= may appear only once
          """)
  void namesTheLineAndWhatWasExpected(
      String label, String good, String bad, int line, String expected) {
    SdpParseException e = failure(SIPP.replace(good, bad));
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.text()).isEqualTo(bad);
    assertThat(e.expected()).isEqualTo(expected);
    assertThat(e.getMessage()).isEqualTo("line " + line + ": " + expected);
  }

  @Test
  void isStrictWhereAWrongGuessBreaksTheCall() {
    assertThat(failure("").getMessage()).startsWith("line 1: v=0 must be the first line");
    assertThat(failure("o=- 1 1 IN IP4 1.2.3.4\r\n").getMessage())
        .isEqualTo("line 1: v=0 must be the first line");
    assertThat(failure("v=0\r\ns=-\r\n").getMessage()).isEqualTo("line 2: o= must follow v=0");
    assertThat(failure(SIPP.replace("c=IN IP4 127.0.0.1\r\n", "")).getMessage())
        .isEqualTo("line 5: m= needs a c= line, in the media section or the session part");
    assertThat(failure(SIPP + "a=candidate:1 1 udp 2130706431 127.0.0.1 typ host\r\n").line())
        .isEqualTo(10);
    assertThat(failure(SIPP + "a=fingerprint:sha-256 8E:B8:9\r\n").expected())
        .isEqualTo("a=fingerprint needs <hash-func> <XX:XX:...> (hex pairs)");
    assertThat(failure(SIPP + "a=setup:both\r\n").expected())
        .isEqualTo("a=setup needs active|passive|actpass|holdconn");
    assertThat(failure(SIPP + "a=rtcp:abc\r\n").expected())
        .isEqualTo("a=rtcp needs <port> [IN IP4|IP6 <address>]");
    assertThat(failure(SIPP.replace("t=0 0", "r=7d 1h 0")).expected())
        .isEqualTo("r= must follow a t= line");
    assertThat(failure(SIPP + "a=bad\rline\r\n").expected())
        .isEqualTo("a line must not contain a bare CR or a NUL");
  }

  @Test
  void rejectedMediaNeedsNoAddress() throws SdpParseException {
    String sdp = SIPP.replace("c=IN IP4 127.0.0.1\r\n", "").replace("m=audio 6000", "m=audio 0");
    assertThat(SessionDescription.parse(sdp).media().get(0).isRejected()).isTrue();
  }
}
