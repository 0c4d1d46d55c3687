package dev.tandem.core.call;

/**
 * Told when a browser user comes online (its first session opens) and goes offline (its last
 * session is gone, after the resume grace period). Called on the signaling loop: must not block.
 */
public interface UserPresence {
  UserPresence NONE =
      new UserPresence() {
        @Override
        public void online(String user) {}

        @Override
        public void offline(String user) {}
      };

  void online(String user);

  void offline(String user);
}
