package dev.tandem.media.rtpengine;

/**
 * Told how each NG command ended, for the metrics that bridge-app serves: answered after how long,
 * or failed and how. Called on the client's receiving or timer thread (or the caller's, for a
 * request that could not go out): implementations count and return, never block, never throw.
 */
public interface NgObserver {
  /** Observes nothing. */
  NgObserver NONE =
      new NgObserver() {
        @Override
        public void answered(String command, long elapsedNanos) {}

        @Override
        public void failed(String command, NgException.Kind kind) {}
      };

  /**
   * rtpengine answered {@code command} ({@code offer}, {@code answer}, {@code delete}, {@code
   * ping}, ...) with success, {@code elapsedNanos} after it was first sent.
   */
  void answered(String command, long elapsedNanos);

  /** {@code command} failed: rtpengine's error, no answer in time, I/O, an unreadable answer. */
  void failed(String command, NgException.Kind kind);
}
