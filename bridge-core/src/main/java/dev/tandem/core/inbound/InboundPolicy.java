package dev.tandem.core.inbound;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The inbound rule in one place: who may ring a browser user or a phone of the registrar, whom a
 * called number rings, and which users exist.
 *
 * <p>Who may ring (first that applies):
 *
 * <ol>
 *   <li>a caller that proved a registrar account by digest → {@link CallOrigin.Phone}
 *       (authenticated);
 *   <li>a source inside a destination's {@code sources} → {@link CallOrigin.Destination};
 *   <li>a source a registered phone's binding came from → {@link CallOrigin.Phone};
 *   <li>anyone, when {@code allow-any-source} is on → {@link CallOrigin.Untrusted};
 *   <li>nobody else: 403 with a Warning saying why.
 * </ol>
 *
 * Whom: the {@link InboundTable}'s target for the called number, else the browser user the
 * Request-URI names.
 */
public final class InboundPolicy {
  /** Whether a caller may ring: with where it came from, or the reason it may not. */
  public sealed interface Admission {
    record Admitted(CallOrigin origin) implements Admission {}

    record Refused(String why) implements Admission {}
  }

  /**
   * No trust rule, no table, every user known: what core does without the bridge's configuration.
   */
  public static final InboundPolicy UNCHECKED =
      new InboundPolicy(InboundTable.EMPTY, TrustedSources.NONE, true, user -> true, true);

  private final InboundTable table;
  private final TrustedSources sources;
  private final boolean allowAnySource;
  private final Predicate<String> configuredUser;
  private final boolean unchecked;

  /**
   * @param configuredUser whether a user is known without being online: named by the table, a
   *     static user, an upstream account (the app's list; users online now are known anyway)
   */
  public InboundPolicy(
      InboundTable table,
      TrustedSources sources,
      boolean allowAnySource,
      Predicate<String> configuredUser) {
    this(table, sources, allowAnySource, configuredUser, false);
  }

  private InboundPolicy(
      InboundTable table,
      TrustedSources sources,
      boolean allowAnySource,
      Predicate<String> configuredUser,
      boolean unchecked) {
    this.unchecked = unchecked;
    this.table = Objects.requireNonNull(table, "table");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.allowAnySource = allowAnySource;
    this.configuredUser = Objects.requireNonNull(configuredUser, "configuredUser");
  }

  /**
   * Whether a request from {@code source} may ring anyone.
   *
   * @param source the IP address the INVITE came from (a literal)
   * @param authenticated the registrar account the caller proved by digest, if it did
   * @param registeredAt the account one of whose bindings registered from an address
   */
  public Admission admit(
      String source,
      Optional<String> authenticated,
      Function<InetAddress, Optional<String>> registeredAt) {
    if (unchecked) {
      return new Admission.Admitted(new CallOrigin.Unchecked());
    }
    if (authenticated.isPresent()) {
      return new Admission.Admitted(new CallOrigin.Phone(authenticated.get(), true));
    }
    Optional<InetAddress> address = Cidr.address(source);
    if (address.isPresent()) {
      Optional<String> destination = sources.destinationOf(address.get());
      if (destination.isPresent()) {
        return new Admission.Admitted(new CallOrigin.Destination(destination.get()));
      }
      Optional<String> phone = registeredAt.apply(address.get());
      if (phone.isPresent()) {
        return new Admission.Admitted(new CallOrigin.Phone(phone.get(), false));
      }
    }
    if (allowAnySource) {
      return new Admission.Admitted(new CallOrigin.Untrusted(source));
    }
    return new Admission.Refused(
        "source "
            + source
            + " is not trusted (no destination's sources, no registered phone, not"
            + " authenticated)");
  }

  /** Whom a call to {@code calledUser} rings: the table's target, else the user it names. */
  public InboundTarget target(String calledUser) {
    return table.route(calledUser).orElseGet(() -> new InboundTarget.User(calledUser));
  }

  /**
   * Whether {@code user} is a user of this bridge even while offline (480 rather than 404). Users
   * online now are known too; the caller checks that.
   */
  public boolean configured(String user) {
    return configuredUser.test(user);
  }
}
