package dev.tandem.sip.stack;

import dev.tandem.core.sip.Destination.DigestCredentials;
import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import javax.sip.ClientTransaction;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Response;

/**
 * Answers a 401/407 challenge (RFC 3261 §22.2) with the destination's credentials, using JAIN-SIP's
 * helper (MD5 digest, qop=auth).
 */
public final class DigestAuth {
  private final SipStackExt stack;
  private final HeaderFactory headers;

  public DigestAuth(SipStackExt stack, HeaderFactory headers) {
    this.stack = stack;
    this.headers = headers;
  }

  /** A new client transaction carrying the re-sent request with credentials, not yet sent. */
  public ClientTransaction answer(
      Response challenge,
      ClientTransaction challenged,
      SipProvider provider,
      DigestCredentials credentials)
      throws Exception {
    AccountManager accounts = (transaction, realm) -> credentials(credentials, realm);
    AuthenticationHelper helper = stack.getAuthenticationHelper(accounts, headers);
    return helper.handleChallenge(challenge, challenged, provider, 5, true);
  }

  private static UserCredentials credentials(DigestCredentials credentials, String realm) {
    return new UserCredentials() {
      @Override
      public String getUserName() {
        return credentials.username();
      }

      @Override
      public String getPassword() {
        return credentials.password();
      }

      @Override
      public String getSipDomain() {
        return realm;
      }
    };
  }
}
