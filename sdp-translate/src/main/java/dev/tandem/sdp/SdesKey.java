package dev.tandem.sdp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One usable SDES key (RFC 4568 §6.1): the crypto line's tag, its suite and the master key and salt
 * of its single {@code inline:} key, with no lifetime, no MKI and no session parameters — the form
 * every SDES endpoint sends, and the only one the bridge does. {@link #of(Crypto)} refuses the rest
 * with a reason that names the problem. {@link #toString} never shows the key.
 */
public final class SdesKey {
  private final int tag;
  private final SdesSuite suite;
  private final byte[] masterKey;
  private final byte[] masterSalt;

  private SdesKey(int tag, SdesSuite suite, byte[] masterKey, byte[] masterSalt) {
    this.tag = tag;
    this.suite = Objects.requireNonNull(suite, "suite");
    if (masterKey.length != suite.keyLength || masterSalt.length != suite.saltLength) {
      throw new IllegalArgumentException("key/salt lengths do not fit " + suite);
    }
    this.masterKey = masterKey.clone();
    this.masterSalt = masterSalt.clone();
  }

  /** A fresh key for {@code suite} from a CSPRNG, under {@code tag}. */
  public static SdesKey generate(int tag, SdesSuite suite, SecureRandom random) {
    byte[] key = new byte[suite.keyLength];
    byte[] salt = new byte[suite.saltLength];
    random.nextBytes(key);
    random.nextBytes(salt);
    return new SdesKey(tag, suite, key, salt);
  }

  /**
   * The key of a crypto line.
   *
   * @throws IllegalArgumentException naming what the bridge cannot use: an unknown suite, several
   *     keys, a lifetime, an MKI, session parameters, a key that is not base64 or has the wrong
   *     length
   */
  public static SdesKey of(Crypto crypto) {
    String where = "a=crypto:" + crypto.tag() + " " + crypto.suite() + ": ";
    SdesSuite suite =
        SdesSuite.named(crypto.suite())
            .orElseThrow(() -> new IllegalArgumentException(where + "unknown crypto suite"));
    if (!crypto.sessionParams().isEmpty()) {
      throw new IllegalArgumentException(
          where + "session parameters are not supported (" + crypto.sessionParams().size() + ")");
    }
    String params = crypto.keyParams();
    if (params.indexOf(';') >= 0) {
      throw new IllegalArgumentException(where + "more than one key is not supported");
    }
    if (!params.startsWith("inline:")) {
      throw new IllegalArgumentException(where + "only inline: keys are supported");
    }
    String[] parts = params.substring("inline:".length()).split("\\|", -1);
    if (parts.length > 1) {
      boolean mki = parts[parts.length - 1].contains(":");
      throw new IllegalArgumentException(
          where
              + (mki && parts.length == 2 ? "an MKI" : "a key lifetime")
              + " is not supported (RFC 4568 section 6.1: "
              + (mki && parts.length == 2 ? "|<MKI>:<length>" : "|<lifetime>")
              + ")");
    }
    byte[] material;
    try {
      material = Base64.getDecoder().decode(parts[0]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "the inline key is not base64");
    }
    int expected = suite.keyLength + suite.saltLength;
    if (material.length != expected) {
      throw new IllegalArgumentException(
          where
              + "the inline key has "
              + material.length
              + " bytes, "
              + suite
              + " needs "
              + expected
              + " (key and salt)");
    }
    SdesKey key =
        new SdesKey(
            crypto.tag(),
            suite,
            Arrays.copyOfRange(material, 0, suite.keyLength),
            Arrays.copyOfRange(material, suite.keyLength, expected));
    Arrays.fill(material, (byte) 0);
    return key;
  }

  /** The same key under another tag: an answer keeps the tag of the offer's line it accepts. */
  public SdesKey withTag(int newTag) {
    return new SdesKey(newTag, suite, masterKey, masterSalt);
  }

  public int tag() {
    return tag;
  }

  public SdesSuite suite() {
    return suite;
  }

  /** A copy of the master key. */
  public byte[] masterKey() {
    return masterKey.clone();
  }

  /** A copy of the master salt. */
  public byte[] masterSalt() {
    return masterSalt.clone();
  }

  /** Whether {@code other} carries the same suite, key and salt (the tag aside). */
  public boolean sameKey(SdesKey other) {
    return suite == other.suite
        && Arrays.equals(masterKey, other.masterKey)
        && Arrays.equals(masterSalt, other.masterSalt);
  }

  /** The {@code a=crypto} line for this key. */
  public Crypto toCrypto() {
    byte[] material = new byte[masterKey.length + masterSalt.length];
    System.arraycopy(masterKey, 0, material, 0, masterKey.length);
    System.arraycopy(masterSalt, 0, material, masterKey.length, masterSalt.length);
    return new Crypto(
        tag,
        suite.name(),
        "inline:" + Base64.getEncoder().encodeToString(material),
        java.util.List.of());
  }

  /** The tag and suite; never the key. */
  @Override
  public String toString() {
    return "SdesKey[" + tag + " " + suite + " inline:***]";
  }
}
