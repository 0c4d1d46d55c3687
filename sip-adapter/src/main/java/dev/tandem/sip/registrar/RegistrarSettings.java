package dev.tandem.sip.registrar;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.sdp.translate.MediaEncryption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code registrar} section: the bridge as the registrar of SIP phones (standalone mode). No
 * accounts: REGISTER is answered 403 and nothing is challenged.
 *
 * @param realm the digest realm phones are challenged with
 * @param digestAlgorithms offered in each challenge, most preferred first (RFC 8760 §2.4). Old user
 *     agents that fail on any challenge they cannot answer (baresip 1.x) need {@code [md5]}
 * @param accounts SIP user name → its secret and extension
 * @param minExpires a shorter registration is refused with 423 (RFC 3261 §10.3 step 7)
 * @param maxExpires a longer one is shortened to this
 * @param defaultExpires for a REGISTER that names none
 * @param maxContacts live contacts per account; more: 403
 * @param nonceLifetime how long a nonce is good; an older one gets a new challenge (stale=true)
 * @param maxAuthFailures wrong credentials from one source address before it gets 403 for {@code
 *     lockout}
 * @param lockout how long a source stays refused after too many failures
 * @param requestsPerSecond REGISTERs and challenged INVITEs per second per source address; above it
 *     (after {@code burst}): 503 with Retry-After
 * @param burst how many a source may send at once above the rate
 * @param authenticateCalls whether INVITEs whose From is an account must authenticate (407)
 * @param mediaEncryption the media policy of phones whose account names none ({@code plain}, {@code
 *     sdes-preferred}, {@code sdes-required})
 * @param video whether calls to and from phones whose account says nothing carry video (false:
 *     video m-lines are refused with port 0, audio only)
 */
public record RegistrarSettings(
    @NotBlank String realm,
    List<DigestAlgorithm> digestAlgorithms,
    Map<String, SipAccount> accounts,
    @DurationRange(minMillis = 1_000, maxMillis = 86_400_000) Duration minExpires,
    @DurationRange(minMillis = 1_000, maxMillis = 604_800_000) Duration maxExpires,
    @DurationRange(minMillis = 1_000, maxMillis = 604_800_000) Duration defaultExpires,
    @Range(min = 1, max = 100) int maxContacts,
    @DurationRange(minMillis = 1_000, maxMillis = 3_600_000) Duration nonceLifetime,
    @Range(min = 1, max = 1000) int maxAuthFailures,
    @DurationRange(minMillis = 0, maxMillis = 86_400_000) Duration lockout,
    @Range(min = 1, max = 100_000) int requestsPerSecond,
    @Range(min = 1, max = 100_000) int burst,
    boolean authenticateCalls,
    MediaEncryption mediaEncryption,
    boolean video)
    implements SelfChecking {

  public RegistrarSettings {
    digestAlgorithms = List.copyOf(digestAlgorithms);
    accounts = Map.copyOf(accounts);
  }

  public static RegistrarSettings defaults() {
    return new RegistrarSettings(
        "tandem",
        List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5),
        Map.of(),
        Duration.ofSeconds(60),
        Duration.ofHours(1),
        Duration.ofHours(1),
        5,
        Duration.ofMinutes(5),
        5,
        Duration.ofMinutes(5),
        10,
        20,
        true,
        MediaEncryption.PLAIN,
        true);
  }

  /** Account → its own media policy, for those that name one. */
  public Map<String, MediaEncryption> mediaEncryptionByAccount() {
    Map<String, MediaEncryption> out = new HashMap<>();
    accounts.forEach((name, a) -> a.mediaEncryption().ifPresent(m -> out.put(name, m)));
    return out;
  }

  /** Account → whether its calls carry video, for those that say. */
  public Map<String, Boolean> videoByAccount() {
    Map<String, Boolean> out = new HashMap<>();
    accounts.forEach((name, a) -> a.video().ifPresent(v -> out.put(name, v)));
    return out;
  }

  public boolean enabled() {
    return !accounts.isEmpty();
  }

  @Override
  public void check(Problems problems) {
    if (digestAlgorithms.isEmpty()
        || Set.copyOf(digestAlgorithms).size() != digestAlgorithms.size()) {
      problems.add("digest-algorithms", "needs sha-256, md5 or both, each once");
    }
    if (minExpires.compareTo(maxExpires) > 0) {
      problems.add("min-expires", "longer than max-expires");
    }
    if (defaultExpires.compareTo(minExpires) < 0 || defaultExpires.compareTo(maxExpires) > 0) {
      problems.add("default-expires", "outside min-expires..max-expires");
    }
    Map<String, String> dialled = new HashMap<>();
    accounts.forEach(
        (name, account) -> {
          if (!name.matches("[A-Za-z0-9._+-]{1,64}")) {
            problems.add("accounts." + name, "not a SIP user name ([A-Za-z0-9._+-], 1..64)");
          }
          if (digestAlgorithms.stream().allMatch(a -> account.ha1(a, name, realm).isEmpty())) {
            problems.add(
                "accounts." + name, "has no HA1 for the digest algorithms " + digestAlgorithms);
          }
          account
              .extension()
              .ifPresent(
                  e -> {
                    String other = dialled.put(e, name);
                    if (other != null || accounts.containsKey(e)) {
                      problems.add(
                          "accounts." + name + ".extension",
                          "'" + e + "' is already " + (other != null ? other : "an account"));
                    }
                  });
        });
  }

  /** The location service for these accounts. */
  public Registrar toRegistrar(java.util.function.Supplier<java.time.Instant> clock) {
    return new Registrar(registrarAccounts(), maxContacts, clock);
  }

  /** The accounts as the location service knows them: name and extension. */
  public List<Registrar.Account> registrarAccounts() {
    return accounts.entrySet().stream()
        .map(e -> new Registrar.Account(e.getKey(), e.getValue().extension()))
        .toList();
  }

  /**
   * The digest algorithms challenges to {@code user} offer: the account's own, else the realm's.
   */
  List<DigestAlgorithm> algorithms(String user) {
    return account(user).flatMap(SipAccount::digestAlgorithms).orElse(digestAlgorithms);
  }

  /** The account a user name stands for. */
  Optional<SipAccount> account(String user) {
    return Optional.ofNullable(accounts.get(user));
  }
}
