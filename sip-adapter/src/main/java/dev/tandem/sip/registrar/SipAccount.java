package dev.tandem.sip.registrar;

import dev.tandem.core.config.SelfChecking;
import dev.tandem.sdp.translate.MediaEncryption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One account of the standalone registrar: a phone's SIP user name, its secret (a password, or the
 * precomputed H(user:realm:password) for MD5 and/or SHA-256 so that no password is stored), and
 * optionally an extension it is also dialled by, and the digest algorithms its challenges offer
 * when they differ from the registrar's (a phone that fails on SHA-256: {@code [md5]}), and its
 * media policy when it differs from the registrar's {@code media-encryption}, and whether its calls
 * carry video when that differs from the registrar's {@code video}.
 */
public record SipAccount(
    Optional<String> password,
    Optional<String> ha1Md5,
    Optional<String> ha1Sha256,
    Optional<String> extension,
    Optional<List<DigestAlgorithm>> digestAlgorithms,
    Optional<MediaEncryption> mediaEncryption,
    Optional<Boolean> video)
    implements SelfChecking {
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public static SipAccount withPassword(String password) {
    return new SipAccount(
        Optional.of(password),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public void check(Problems problems) {
    if (password.isEmpty() && ha1Md5.isEmpty() && ha1Sha256.isEmpty()) {
      problems.add("password", "an account needs a password, ha1-md5 or ha1-sha256");
    }
    if (password.isPresent() && (ha1Md5.isPresent() || ha1Sha256.isPresent())) {
      problems.add("password", "give a password or HA1 hashes, not both");
    }
    ha1Md5
        .filter(h -> !MD5_HEX.matcher(h).matches())
        .ifPresent(h -> problems.add("ha1-md5", "must be 32 lower-case hex digits"));
    ha1Sha256
        .filter(h -> !SHA256_HEX.matcher(h).matches())
        .ifPresent(h -> problems.add("ha1-sha256", "must be 64 lower-case hex digits"));
    digestAlgorithms
        .filter(a -> a.isEmpty() || Set.copyOf(a).size() != a.size())
        .ifPresent(a -> problems.add("digest-algorithms", "sha-256, md5 or both, each once"));
    extension
        .filter(e -> !e.matches("[0-9*#+]{1,32}"))
        .ifPresent(e -> problems.add("extension", "digits, *, # and + only (1..32)"));
  }

  /** H(A1) for {@code algorithm}, when this account can be checked with it. */
  Optional<String> ha1(DigestAlgorithm algorithm, String user, String realm) {
    if (password.isPresent()) {
      return Optional.of(algorithm.ha1(user, realm, password.get()));
    }
    return algorithm == DigestAlgorithm.MD5 ? ha1Md5 : ha1Sha256;
  }

  @Override
  public String toString() {
    return "SipAccount[" + extension.map(e -> "extension " + e).orElse("") + ", secret ***]";
  }
}
