package dev.tandem.core.registrar;

import dev.tandem.core.sip.SipReasons;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The location service of the standalone registrar: the accounts (by name and by extension) and
 * their bindings, changed by REGISTER under the rules of RFC 3261 §10.3:
 *
 * <ul>
 *   <li>a REGISTER with the Call-ID of a binding and a CSeq not above the binding's is out of
 *       order: 500, nothing changes (step 7);
 *   <li>{@code Contact: *} removes every binding (step 6; its Expires: 0 is checked by the SIP
 *       side);
 *   <li>a contact with expiry 0 is removed, any other is added or refreshed;
 *   <li>more than {@code maxContacts} live bindings: 403, nothing changes.
 * </ul>
 *
 * Thread-safe: REGISTERs of every account and lookups by calls may come at once.
 */
public final class Registrar implements Directory {
  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  /** An account of the registrar: its name and, optionally, a number it is dialled by. */
  public record Account(String name, Optional<String> extension) {
    public Account {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(extension, "extension");
    }
  }

  /** Account names by name and extension (lower case); replaced whole by a reload. */
  private volatile Map<String, String> byDialled;

  private final int maxContacts;
  private final Supplier<Instant> clock;
  private final Map<String, List<Binding>> bindings = new HashMap<>();

  public Registrar(List<Account> accounts, int maxContacts, Supplier<Instant> clock) {
    this.byDialled = index(accounts);
    this.maxContacts = maxContacts;
    this.clock = clock;
  }

  /**
   * New accounts (a configuration reload): REGISTERs and calls from now on see them; the bindings
   * of accounts still there stay, those of removed accounts go.
   */
  public synchronized void accounts(List<Account> accounts) {
    Map<String, String> next = index(accounts);
    this.byDialled = next;
    bindings.keySet().removeIf(account -> !next.containsValue(account));
    log.info("registrar accounts now {}", accounts.stream().map(Account::name).toList());
  }

  private static Map<String, String> index(List<Account> accounts) {
    Map<String, String> byDialled = new HashMap<>();
    for (Account account : accounts) {
      put(byDialled, account.name(), account.name());
      account.extension().ifPresent(extension -> put(byDialled, extension, account.name()));
    }
    return Map.copyOf(byDialled);
  }

  private static void put(Map<String, String> byDialled, String dialled, String account) {
    String earlier = byDialled.put(dialled.toLowerCase(Locale.ROOT), account);
    if (earlier != null && !earlier.equals(account)) {
      throw new IllegalArgumentException(
          "'" + dialled + "' names both account " + earlier + " and " + account);
    }
  }

  @Override
  public Optional<String> account(String dialled) {
    return Optional.ofNullable(byDialled.get(dialled.strip().toLowerCase(Locale.ROOT)));
  }

  /** Every account's live bindings, by account name (the admin API). */
  public synchronized List<Binding> allBindings() {
    return new TreeMap<>(bindings)
        .keySet().stream().flatMap(account -> bindings(account).stream()).toList();
  }

  @Override
  public synchronized List<Binding> bindings(String account) {
    return List.copyOf(live(account, clock.get()));
  }

  /**
   * Scans every live binding (at most the accounts times {@code max-contacts}); the address is
   * compared as an address, so {@code ::ffff:192.0.2.1} and {@code 192.0.2.1} are one.
   */
  @Override
  public synchronized Optional<String> registeredFrom(InetAddress source) {
    Instant now = clock.get();
    for (Map.Entry<String, List<Binding>> e : bindings.entrySet()) {
      for (Binding b : e.getValue()) {
        if (b.expires().isAfter(now) && sameAddress(b.sourceHost(), source)) {
          return Optional.of(e.getKey());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean sameAddress(String host, InetAddress source) {
    return dev.tandem.core.inbound.Cidr.address(host).filter(source::equals).isPresent();
  }

  /** Applies an authenticated REGISTER of {@code account} (an account of this registrar). */
  public synchronized RegisterResult register(String account, RegisterRequest request) {
    if (account(account).isEmpty()) {
      return new RegisterResult.Refused(SipReasons.NOT_FOUND.code(), SipReasons.NOT_FOUND.phrase());
    }
    Instant now = clock.get();
    List<Binding> current = live(account, now);
    for (Binding b : current) {
      if (b.callId().equals(request.callId()) && request.cseq() <= b.cseq()) {
        return new RegisterResult.Refused(
            SipReasons.SERVER_INTERNAL_ERROR.code(), "Out of order REGISTER");
      }
    }
    List<Binding> next = new ArrayList<>(request.wildcard() ? List.of() : current);
    for (RegisterRequest.ContactUpdate update : request.contacts()) {
      next.removeIf(b -> sameContact(b.contact(), update.uri()));
      if (!update.expires().isZero()) {
        next.add(
            new Binding(
                account,
                update.uri(),
                request.transport(),
                request.sourceHost(),
                request.sourcePort(),
                now.plus(update.expires()),
                request.callId(),
                request.cseq()));
      }
    }
    if (next.size() > maxContacts) {
      return new RegisterResult.Refused(
          SipReasons.FORBIDDEN.code(),
          "Too many contacts (" + next.size() + ", at most " + maxContacts + ")");
    }
    if (next.isEmpty()) {
      bindings.remove(account);
    } else {
      bindings.put(account, next);
    }
    if (next.size() != current.size() || request.wildcard()) {
      log.info("{} registered at {} contact(s)", account, next.size());
    }
    return new RegisterResult.Registered(next);
  }

  /** Live bindings of every account (for metrics): at most the accounts times max-contacts. */
  public synchronized int bindingCount() {
    Instant now = clock.get();
    int count = 0;
    for (List<Binding> all : bindings.values()) {
      for (Binding b : all) {
        if (b.expires().isAfter(now)) {
          count++;
        }
      }
    }
    return count;
  }

  /** Bindings of {@code account} not expired at {@code now}; expired ones are dropped. */
  private List<Binding> live(String account, Instant now) {
    List<Binding> all = bindings.get(account);
    if (all == null) {
      return List.of();
    }
    all.removeIf(b -> !b.expires().isAfter(now));
    if (all.isEmpty()) {
      bindings.remove(account);
      log.info("{}'s registration expired", account);
    }
    return all;
  }

  /**
   * RFC 3261 §10.3 step 8 compares contact URIs by §19.1.4; the scheme and host are
   * case-insensitive, which is what phones vary in practice.
   */
  private static boolean sameContact(String a, String b) {
    return a.equalsIgnoreCase(b);
  }
}
