package dev.tandem.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void writesIpv6InBracketsAndEverythingElseAsItIs() {
    assertThat(new HostPort("::1", 5060)).hasToString("[::1]:5060");
    assertThat(new HostPort("[2001:db8::7]", 5061)).hasToString("[2001:db8::7]:5061");
    assertThat(new HostPort("192.0.2.4", 5060)).hasToString("192.0.2.4:5060");
    assertThat(new HostPort("sip.example.com", 5060)).hasToString("sip.example.com:5060");
    assertThat(HostPort.uriHost("fe80::1")).isEqualTo("[fe80::1]");
  }

  @Test
  void writesIpv6AddressesInTheirShortForm() throws Exception {
    // RFC 5952 §4.2: the longest run of zero groups becomes ::, the first of two equal runs
    assertThat(HostPort.text(InetAddress.getByName("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
    assertThat(HostPort.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1")))
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(HostPort.text(InetAddress.getByName("2001:db8:0:1:1:1:1:1")))
        .isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(HostPort.text(InetAddress.getByName("::"))).isEqualTo("::");
    assertThat(HostPort.text(InetAddress.getByName("10.0.0.1"))).isEqualTo("10.0.0.1");
  }

  @Test
  void tellsAddressesWildcardsAndNamesApartWithoutLookingAnythingUp() {
    assertThat(HostPort.isWildcard("0.0.0.0")).isTrue();
    assertThat(HostPort.isWildcard("::")).isTrue();
    assertThat(HostPort.isWildcard("[::]")).isTrue();
    assertThat(HostPort.isWildcard("127.0.0.1")).isFalse();
    assertThat(HostPort.isIpLiteral("::1")).isTrue();
    assertThat(HostPort.isIpLiteral("localhost")).isFalse();
    assertThat(HostPort.isIpLiteral("300.1.1.1")).isFalse();
    assertThat(HostPort.isHostName("sip.example.com")).isTrue();
    assertThat(HostPort.isHostName("not a host")).isFalse();
  }

  private static List<String> problems(ListenPoint... points) {
    List<String> problems = new ArrayList<>();
    new SipSettings(List.of(points), "t", 65536, 1)
        .check((path, message) -> problems.add(path + ": " + message));
    return problems;
  }

  @Test
  void listenPointsThatCannotBothBindAreRefused() {
    ListenPoint any = new ListenPoint(SipTransport.UDP, "0.0.0.0", 5060);
    assertThat(problems(any, new ListenPoint(SipTransport.UDP, "127.0.0.1", 5060)))
        .containsExactly("listen[1]: takes the same port as listen[0] (udp 0.0.0.0:5060)");
    assertThat(
            problems(
                new ListenPoint(SipTransport.TCP, "::1", 5060),
                new ListenPoint(SipTransport.TCP, "0:0:0:0:0:0:0:1", 5060)))
        .containsExactly("listen[1]: takes the same port as listen[0] (tcp [::1]:5060)");
    assertThat(
            problems(
                new ListenPoint(SipTransport.UDP, "::", 5060),
                new ListenPoint(SipTransport.UDP, "127.0.0.1", 5060)))
        .hasSize(1);
    assertThat(problems(any, new ListenPoint(SipTransport.TCP, "127.0.0.1", 5060))).isEmpty();
    assertThat(problems(any, new ListenPoint(SipTransport.UDP, "::1", 5060))).isEmpty();
  }

  private static List<String> problems(ListenPoint point) {
    List<String> problems = new ArrayList<>();
    point.check((path, message) -> problems.add(path + ": " + message));
    return problems;
  }

  @Test
  void aListenPointNeedsAnAddressAndAnAdvertisedAddressPeersCanReach() {
    assertThat(problems(new ListenPoint(SipTransport.UDP, "::", 5060))).isEmpty();
    assertThat(problems(new ListenPoint(SipTransport.UDP, "localhost", 5060)))
        .containsExactly(
            "host: must be an IPv4 or IPv6 address (0.0.0.0 or :: for all), not localhost");
    assertThat(
            problems(
                new ListenPoint(
                    SipTransport.UDP, "0.0.0.0", 5060, Optional.of("0.0.0.0"), Optional.empty())))
        .containsExactly("advertised: must be an address peers can reach, not a wildcard");
    assertThat(
            problems(
                new ListenPoint(
                    SipTransport.UDP, "0.0.0.0", 5060, Optional.empty(), Optional.of(5080))))
        .containsExactly("advertised-port: needs advertised (the host written with it)");
    assertThat(
            problems(
                new ListenPoint(
                    SipTransport.UDP,
                    "0.0.0.0",
                    5060,
                    Optional.of("[2001:db8::5]"),
                    Optional.of(0))))
        .containsExactly("advertised-port: must be 1..65535, not 0");
    assertThat(new ListenPoint(SipTransport.TCP, "[::1]", 5060)).hasToString("tcp [::1]:5060");
  }
}
