package dev.tandem.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code a=candidate} (RFC 8839 §5.1): one ICE transport address.
 *
 * <pre>
 * candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt;
 *     &lt;connection-address&gt; &lt;port&gt; typ &lt;cand-type&gt;
 *     [raddr &lt;address&gt;] [rport &lt;port&gt;] *(&lt;extension-att-name&gt; &lt;extension-att-value&gt;)
 * </pre>
 *
 * Checked strictly: a misread address or port sends connectivity checks nowhere. Extensions ({@code
 * tcptype}, {@code generation}, {@code network-id}, ...) keep their order so that the candidate
 * serializes back to the same text.
 *
 * @param transport as written ({@code udp}, {@code UDP}, {@code tcp}); compare with {@link
 *     #isUdp()}
 * @param type {@code host}, {@code srflx}, {@code prflx}, {@code relay} or a future type
 */
public record Candidate(
    String foundation,
    int component,
    String transport,
    long priority,
    String address,
    int port,
    String type,
    Optional<String> relatedAddress,
    OptionalInt relatedPort,
    List<Extension> extensions) {

  public static final String NAME = "candidate";
  static final String EXPECTED =
      "a=candidate needs <foundation> <component-id> <transport> <priority> <address> <port>"
          + " typ <cand-type> [raddr <address>] [rport <port>] [<name> <value>]...";

  /** An extension pair such as {@code tcptype active} or {@code generation 0}. */
  public record Extension(String name, String value) {
    public Extension {
      if (name == null || value == null || !Syntax.isToken(name) || !Syntax.isToken(value)) {
        throw new IllegalArgumentException(EXPECTED);
      }
    }
  }

  public Candidate {
    Objects.requireNonNull(relatedAddress, "relatedAddress");
    Objects.requireNonNull(relatedPort, "relatedPort");
    extensions = List.copyOf(Objects.requireNonNull(extensions, "extensions"));
    if (foundation == null
        || foundation.isEmpty()
        || foundation.length() > 32
        || !Syntax.isToken(foundation)
        || component < 1
        || component > 256
        || transport == null
        || !Syntax.isToken(transport)
        || priority < 1
        || priority > 0xFFFFFFFFL
        || address == null
        || !Syntax.isUnicastAddress(address)
        || port < 0
        || port > 65535
        || type == null
        || !Syntax.isToken(type)
        || relatedAddress.filter(a -> !Syntax.isUnicastAddress(a)).isPresent()
        || (relatedPort.isPresent()
            && (relatedPort.getAsInt() < 0 || relatedPort.getAsInt() > 65535))) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** A host candidate for component 1 over UDP, as an ICE-lite relay announces itself. */
  public static Candidate host(String foundation, long priority, String address, int port) {
    return new Candidate(
        foundation,
        1,
        "udp",
        priority,
        address,
        port,
        "host",
        Optional.empty(),
        OptionalInt.empty(),
        List.of());
  }

  /**
   * Parses the value of {@code a=candidate:}, or a trickled candidate as browsers hand it out
   * ({@code candidate:...} from {@code RTCIceCandidate.candidate}, optionally with {@code a=}).
   */
  public static Candidate parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    String v = value.startsWith("a=") ? value.substring(2) : value;
    v = v.startsWith(NAME + ":") ? v.substring(NAME.length() + 1) : v;
    List<String> f = Syntax.fields(v);
    if (f.size() < 8 || !f.get(6).equals("typ") || f.size() % 2 != 0) {
      throw new IllegalArgumentException(EXPECTED);
    }
    Optional<String> raddr = Optional.empty();
    OptionalInt rport = OptionalInt.empty();
    List<Extension> extensions = new ArrayList<>();
    for (int i = 8; i < f.size(); i += 2) {
      String name = f.get(i);
      String val = f.get(i + 1);
      if (name.equals("raddr") && raddr.isEmpty() && extensions.isEmpty()) {
        raddr = Optional.of(val);
      } else if (name.equals("rport") && rport.isEmpty() && extensions.isEmpty()) {
        rport = OptionalInt.of(Syntax.port(val, EXPECTED));
      } else {
        extensions.add(new Extension(name, val));
      }
    }
    return new Candidate(
        f.get(0),
        (int) Syntax.number(f.get(1), 256, EXPECTED),
        f.get(2),
        Syntax.number(f.get(3), 0xFFFFFFFFL, EXPECTED),
        f.get(4),
        Syntax.port(f.get(5), EXPECTED),
        f.get(7),
        raddr,
        rport,
        extensions);
  }

  /** Whether the candidate is for UDP (transport names are case-insensitive, RFC 8839 §5.1). */
  public boolean isUdp() {
    return transport.equalsIgnoreCase("udp");
  }

  /** {@code active}, {@code passive} or {@code so} for TCP candidates (RFC 6544 §4.5). */
  public Optional<String> tcptype() {
    return extension("tcptype");
  }

  /** The value of an extension attribute, e.g. {@code generation}. */
  public Optional<String> extension(String name) {
    for (Extension e : extensions) {
      if (e.name().equals(name)) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  /** The text after {@code a=candidate:}. */
  public String toValue() {
    StringBuilder sb =
        new StringBuilder(foundation)
            .append(' ')
            .append(component)
            .append(' ')
            .append(transport)
            .append(' ')
            .append(priority)
            .append(' ')
            .append(address)
            .append(' ')
            .append(port)
            .append(" typ ")
            .append(type);
    relatedAddress.ifPresent(a -> sb.append(" raddr ").append(a));
    relatedPort.ifPresent(p -> sb.append(" rport ").append(p));
    for (Extension e : extensions) {
      sb.append(' ').append(e.name()).append(' ').append(e.value());
    }
    return sb.toString();
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, toValue());
  }
}
