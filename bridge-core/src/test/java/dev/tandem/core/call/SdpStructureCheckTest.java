package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpStructureCheckTest {
  private final SdpStructureCheck check = new SdpStructureCheck();

  private static final String CHROME =
      "v=0\r\no=- 4470726129028295202 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
          + "m=audio 45183 UDP/TLS/RTP/SAVPF 111 0 8 126\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\n";

  private Optional<String> problem(String sdp) {
    return check.check(sdp).map(Outcome.Refused::message);
  }

  @Test
  void acceptsRealOffersWithCrlfOrLf() {
    assertThat(check.check(CHROME)).isEmpty();
    assertThat(check.check(CHROME.replace("\r\n", "\n"))).isEmpty();
  }

  @Test
  void namesTheBrokenLine() {
    Optional<Outcome.Refused> refused =
        check.check(CHROME.replace("m=audio 45183 UDP/TLS/RTP/SAVPF 111 0 8 126", "m=audio"));
    assertThat(refused)
        .contains(
            new Outcome.Refused(
                Refusal.BAD_SDP,
                "line 6: m= needs <media> <port> <proto> <fmt>...",
                OptionalInt.of(6)));
    assertThat(problem("o=x\r\n")).contains("line 1: v=0 must be the first line");
    assertThat(problem("v=0\r\no=- 1 1 IN IP4\r\n"))
        .contains(
            "line 2: o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
    assertThat(problem(CHROME.replace("c=IN IP4 127.0.0.1", "c=IN IPX 1")))
        .contains("line 7: c= needs IN IP4|IP6 <address>");
    assertThat(problem(CHROME + "garbage\r\n"))
        .contains("line 9: expected <type>=<value> with a one-letter type");
    assertThat(problem(CHROME.replace("45183", "99999")))
        .contains("line 6: m= needs <media> <port> <proto> <fmt>...");
    assertThat(problem("")).contains("line 1: empty SDP");
    assertThat(problem("v=0\r\ns=-\r\n")).contains("line 2: o= is missing");
    assertThat(problem("v=0\r\n\r\no=- 1 1 IN IP4 1.2.3.4\r\n"))
        .contains("line 2: empty line inside the SDP");
  }
}
