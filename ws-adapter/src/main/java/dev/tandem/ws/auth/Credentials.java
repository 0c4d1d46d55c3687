package dev.tandem.ws.auth;

/** What a browser presents to authenticate. */
public sealed interface Credentials {

  /** A signed JWT. */
  record Token(String jwt) implements Credentials {
    @Override
    public String toString() {
      return "Token[...]";
    }
  }

  /** A development user's name and password. */
  record Password(String user, String password) implements Credentials {
    @Override
    public String toString() {
      return "Password[user=" + user + "]";
    }
  }
}
