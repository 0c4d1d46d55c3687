package dev.tandem.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InboundPolicyTest {
  private static final Function<InetAddress, Optional<String>> NO_PHONES = a -> Optional.empty();

  private final TrustedSources sources = sources();

  private static TrustedSources sources() {
    Map<String, List<Cidr>> byName = new LinkedHashMap<>();
    byName.put("carrier", List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("2001:db8::/32")));
    byName.put("pbx", List.of(Cidr.parse("127.0.0.1")));
    return new TrustedSources(byName);
  }

  private InboundPolicy policy(boolean open) {
    return new InboundPolicy(InboundTable.EMPTY, sources, open, Set.of("alice")::contains);
  }

  @Test
  void cidrBlocksMatchIpv4Ipv6AndMappedAddresses() throws Exception {
    Cidr v4 = Cidr.parse("192.0.2.0/24");
    assertThat(v4.contains(InetAddress.getByName("192.0.2.200"))).isTrue();
    assertThat(v4.contains(InetAddress.getByName("192.0.3.1"))).isFalse();
    assertThat(v4.contains(InetAddress.getByName("::ffff:192.0.2.1"))).isTrue();
    Cidr v6 = Cidr.parse("2001:db8::/32");
    assertThat(v6.contains(InetAddress.getByName("2001:db8:1::5"))).isTrue();
    assertThat(v6.contains(InetAddress.getByName("2001:db9::5"))).isFalse();
    assertThat(v6.contains(InetAddress.getByName("192.0.2.1"))).isFalse();
    assertThat(Cidr.parse("[::1]").contains(InetAddress.getByName("::1"))).isTrue();
  }

  @Test
  void badBlocksSayWhyAndNamesAreNeverLookedUp() {
    assertThatThrownBy(() -> Cidr.parse("192.0.2.1/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> Cidr.parse("192.0.2.1/24")).hasMessageContaining("beyond /24");
    assertThatThrownBy(() -> Cidr.parse("pbx.example.com"))
        .hasMessageContaining("not an IPv4 or IPv6 address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
  }

  @Test
  void aDestinationsSourceIsAdmittedAsThatDestination() {
    assertThat(policy(false).admit("192.0.2.9", Optional.empty(), NO_PHONES))
        .isEqualTo(new InboundPolicy.Admission.Admitted(new CallOrigin.Destination("carrier")));
    assertThat(policy(false).admit("2001:db8::7", Optional.empty(), NO_PHONES))
        .isEqualTo(new InboundPolicy.Admission.Admitted(new CallOrigin.Destination("carrier")));
    assertThat(policy(false).admit("127.0.0.1", Optional.empty(), NO_PHONES))
        .isEqualTo(new InboundPolicy.Admission.Admitted(new CallOrigin.Destination("pbx")));
  }

  @Test
  void registeredPhonesAndAuthenticatedCallersAreAdmittedEverythingElseRefused() {
    assertThat(
            policy(false)
                .admit(
                    "203.0.113.5",
                    Optional.empty(),
                    a ->
                        a.getHostAddress().equals("203.0.113.5")
                            ? Optional.of("1001")
                            : Optional.empty()))
        .isEqualTo(new InboundPolicy.Admission.Admitted(new CallOrigin.Phone("1001", false)));
    assertThat(policy(false).admit("203.0.113.6", Optional.of("1002"), NO_PHONES))
        .isEqualTo(new InboundPolicy.Admission.Admitted(new CallOrigin.Phone("1002", true)));
    assertThat(policy(false).admit("203.0.113.7", Optional.empty(), NO_PHONES))
        .isInstanceOfSatisfying(
            InboundPolicy.Admission.Refused.class,
            r -> assertThat(r.why()).contains("203.0.113.7").contains("not trusted"));
    assertThat(policy(true).admit("203.0.113.7", Optional.empty(), NO_PHONES))
        .isEqualTo(new InboundPolicy.Admission.Admitted(new CallOrigin.Untrusted("203.0.113.7")));
  }

  @Test
  void aReferReachesNoFurtherThanTheReferringSide() {
    ReferScope.Reach user = new ReferScope.Reach.BrowserUser("alice");
    ReferScope.Reach phone = new ReferScope.Reach.Account("1001");
    ReferScope.Reach viaCarrier = new ReferScope.Reach.Sip(Set.of("carrier"));
    CallOrigin carrier = new CallOrigin.Destination("carrier");
    CallOrigin pbx = new CallOrigin.Destination("pbx");
    CallOrigin desk = new CallOrigin.Phone("1001", true);
    CallOrigin stranger = new CallOrigin.Untrusted("203.0.113.7");
    assertThat(ReferScope.allows(carrier, viaCarrier)).isTrue();
    assertThat(ReferScope.allows(pbx, viaCarrier)).as("not through another trunk").isFalse();
    assertThat(ReferScope.allows(desk, viaCarrier)).isFalse();
    assertThat(ReferScope.allows(desk, phone)).isTrue();
    assertThat(ReferScope.allows(stranger, viaCarrier)).isFalse();
    assertThat(ReferScope.allows(stranger, phone)).isFalse();
    assertThat(ReferScope.allows(stranger, user)).isTrue();
    assertThat(ReferScope.allows(new CallOrigin.Unchecked(), viaCarrier)).isTrue();
    assertThat(ReferScope.allows(new CallOrigin.Dialled("pbx"), viaCarrier))
        .as("a peer the user called: the user's own permissions decide")
        .isTrue();
  }
}
