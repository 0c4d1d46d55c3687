package dev.tandem.media.dtls;

import dev.tandem.media.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * DTLS-SRTP (RFC 5764) with Bouncy Castle's DTLS 1.2, in either role: {@code a=setup:active} makes
 * the relay the client, {@code passive} the server (RFC 8842). Both sides present a certificate and
 * each checks the other's against the fingerprint from the SDP (RFC 8827 §6.5), so a handshake with
 * anyone else fails. The use_srtp extension negotiates the SRTP profile; the keys come from the
 * exporter ({@code EXTRACTOR-dtls_srtp}).
 *
 * <p>{@link #handshake} blocks until the handshake is over (Bouncy Castle retransmits and gives up
 * after {@link #HANDSHAKE_TIMEOUT_MILLIS}); run it off the packet thread.
 */
public final class DtlsSrtp {
  private DtlsSrtp() {}

  public static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  /**
   * The relay's profiles in order of preference. AES-CM/HMAC-SHA1-80 first: every browser has it
   * and this relay runs it without allocating per packet, while the JDK's AES-GCM allocates on
   * every packet (more garbage collection under load); a peer that picks GCM gets it.
   */
  public static final List<SrtpProfile> PREFERRED_PROFILES =
      List.of(
          SrtpProfile.AES128_CM_HMAC_SHA1_80,
          SrtpProfile.AEAD_AES_128_GCM,
          SrtpProfile.AES128_CM_HMAC_SHA1_32);

  /** ECDHE with ECDSA, as browsers use for DTLS-SRTP. */
  private static final int[] CIPHER_SUITES = {
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
  };

  /** Which side of the DTLS connection the relay is. */
  public enum Role {
    CLIENT,
    SERVER
  }

  /**
   * Runs the handshake over {@code transport} and returns the SRTP keys.
   *
   * @param remoteFingerprint {@code sha-256 AB:CD:...} from the peer's {@code a=fingerprint}
   * @throws IOException when the handshake fails: a wrong certificate, no common SRTP profile, a
   *     timeout, garbage
   */
  public static DtlsSrtpKeys handshake(
      Role role, DtlsCertificate certificate, String remoteFingerprint, DatagramTransport transport)
      throws IOException {
    return handshake(role, certificate, remoteFingerprint, transport, PREFERRED_PROFILES);
  }

  /** The same with the SRTP profiles this side accepts, in order of preference. */
  public static DtlsSrtpKeys handshake(
      Role role,
      DtlsCertificate certificate,
      String remoteFingerprint,
      DatagramTransport transport,
      List<SrtpProfile> profiles)
      throws IOException {
    return handshake(
        role, certificate, remoteFingerprint, transport, profiles, HANDSHAKE_TIMEOUT_MILLIS);
  }

  /**
   * The same, giving up after {@code timeoutMillis} (Bouncy Castle then throws a {@code
   * TlsTimeoutException}, an {@link IOException}, and the calling thread is free again).
   */
  public static DtlsSrtpKeys handshake(
      Role role,
      DtlsCertificate certificate,
      String remoteFingerprint,
      DatagramTransport transport,
      List<SrtpProfile> profiles,
      int timeoutMillis)
      throws IOException {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("handshake timeout " + timeoutMillis + " ms");
    }
    int[] ids = profiles.stream().mapToInt(p -> p.id).toArray();
    BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    if (role == Role.CLIENT) {
      Client client = new Client(crypto, certificate, remoteFingerprint, ids, timeoutMillis);
      new DTLSClientProtocol().connect(client, transport);
      return client.keys;
    }
    Server server = new Server(crypto, certificate, remoteFingerprint, ids, timeoutMillis);
    new DTLSServerProtocol().accept(server, transport);
    return server.keys;
  }

  private static Certificate chain(BcTlsCrypto crypto, DtlsCertificate certificate)
      throws IOException {
    return new Certificate(
        new org.bouncycastle.tls.crypto.TlsCertificate[] {
          crypto.createCertificate(certificate.encoded())
        });
  }

  private static TlsCredentialedSigner signer(
      TlsContext context, BcTlsCrypto crypto, DtlsCertificate certificate) throws IOException {
    return new BcDefaultTlsCredentialedSigner(
        new TlsCryptoParameters(context),
        crypto,
        certificate.privateKey(),
        chain(crypto, certificate),
        SignatureAndHashAlgorithm.getInstance(
            org.bouncycastle.tls.HashAlgorithm.sha256,
            org.bouncycastle.tls.SignatureAlgorithm.ecdsa));
  }

  private static void checkFingerprint(Certificate presented, String expected) throws IOException {
    if (presented == null || presented.isEmpty()) {
      throw new TlsFatalAlert(AlertDescription.bad_certificate, "no certificate");
    }
    String actual = DtlsCertificate.sha256Fingerprint(presented.getCertificateAt(0).getEncoded());
    if (!actual.equalsIgnoreCase(expected.trim())) {
      throw new TlsFatalAlert(
          AlertDescription.bad_certificate, "certificate does not match a=fingerprint");
    }
  }

  private static SrtpProfile profile(int id) throws IOException {
    SrtpProfile p = SrtpProfile.byId(id);
    if (p != null) {
      return p;
    }
    throw new TlsFatalAlert(AlertDescription.illegal_parameter, "SRTP profile " + id);
  }

  private static DtlsSrtpKeys export(TlsContext context, SrtpProfile profile, boolean client) {
    byte[] material =
        context.exportKeyingMaterial(
            ExporterLabel.dtls_srtp, null, 2 * (profile.keyLength + profile.saltLength));
    return DtlsSrtpKeys.fromExporter(profile, material, client);
  }

  private static final class Client extends DefaultTlsClient {
    private final DtlsCertificate certificate;
    private final int[] profiles;
    private final String remoteFingerprint;
    private final int timeoutMillis;
    private SrtpProfile profile;
    DtlsSrtpKeys keys;

    Client(
        BcTlsCrypto crypto,
        DtlsCertificate certificate,
        String remoteFingerprint,
        int[] profiles,
        int timeoutMillis) {
      super(crypto);
      this.timeoutMillis = timeoutMillis;
      this.profiles = profiles;
      this.certificate = certificate;
      this.remoteFingerprint = remoteFingerprint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return CIPHER_SUITES.clone();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
      return timeoutMillis;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
      Hashtable extensions =
          TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
      TlsSRTPUtils.addUseSRTPExtension(
          extensions, new UseSRTPData(profiles.clone(), TlsUtils.EMPTY_BYTES));
      return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
      super.processServerExtensions(serverExtensions);
      UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
      if (chosen == null || chosen.getProtectionProfiles().length != 1) {
        throw new TlsFatalAlert(
            AlertDescription.illegal_parameter, "no use_srtp in the ServerHello");
      }
      profile = profile(chosen.getProtectionProfiles()[0]);
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new TlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate)
            throws IOException {
          checkFingerprint(serverCertificate.getCertificate(), remoteFingerprint);
        }

        @Override
        public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
          return signer(context, (BcTlsCrypto) getCrypto(), certificate);
        }
      };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      keys = export(context, profile, true);
    }
  }

  private static final class Server extends DefaultTlsServer {
    private final DtlsCertificate certificate;
    private final int[] profiles;
    private final String remoteFingerprint;
    private final int timeoutMillis;
    private SrtpProfile profile;
    DtlsSrtpKeys keys;

    Server(
        BcTlsCrypto crypto,
        DtlsCertificate certificate,
        String remoteFingerprint,
        int[] profiles,
        int timeoutMillis) {
      super(crypto);
      this.timeoutMillis = timeoutMillis;
      this.profiles = profiles;
      this.certificate = certificate;
      this.remoteFingerprint = remoteFingerprint;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return CIPHER_SUITES.clone();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
      return timeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
      return signer(context, (BcTlsCrypto) getCrypto(), certificate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
      super.processClientExtensions(clientExtensions);
      UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
      if (offered != null) {
        for (int ours : profiles) {
          for (int theirs : offered.getProtectionProfiles()) {
            if (ours == theirs && profile == null) {
              profile = profile(ours);
            }
          }
        }
      }
      if (profile == null) {
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP profile");
      }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
      Hashtable extensions =
          TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
      TlsSRTPUtils.addUseSRTPExtension(
          extensions, new UseSRTPData(new int[] {profile.id}, TlsUtils.EMPTY_BYTES));
      return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
      // RFC 8827 §6.5: the client must present its certificate too
      @SuppressWarnings("rawtypes")
      Vector algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
      return new CertificateRequest(
          new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
          algorithms,
          null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
      checkFingerprint(clientCertificate, remoteFingerprint);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      keys = export(context, profile, false);
    }
  }
}
