package dev.tandem.core.call;

import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.media.SipMediaPolicy;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sdp.translate.SipMedia;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one call's media-backend operations one after another (a 183's answer before the 200's) and
 * brings each result back onto the signaling loop. After {@link #release} nothing more is started
 * and late results are dropped.
 *
 * <p>A call whose SIP peer speaks WebRTC itself ({@link #passThrough}) uses no backend: each SDP
 * goes on unchanged (still on a later turn of the loop, as a backend's result would), and media
 * flows end to end between the browser and that peer.
 */
final class MediaSteps {
  private final CallId call;
  private final BridgeContext context;
  private CompletionStage<?> last = CompletableFuture.completedFuture(null);
  private boolean allocated;
  private boolean released;
  private SipMedia sipMedia = SipMedia.PLAIN;
  private boolean passThrough;

  MediaSteps(CallId call, BridgeContext context) {
    this.call = call;
    this.context = context;
  }

  /** The SIP side's media policy ({@link SipMediaPolicy}) for this call's offers; before them. */
  void sipMedia(SipMedia policy) {
    this.sipMedia = policy;
  }

  /** The SIP peer speaks WebRTC: SDPs go on unchanged, no backend; before the first step. */
  void passThrough() {
    this.passThrough = true;
  }

  /** Whether media goes end to end, without the backend (no counters to watch). */
  boolean passingThrough() {
    return passThrough;
  }

  /** Sends {@code sdp} through the backend; {@code onSdp} or {@code onError} run on the loop. */
  void offer(
      MediaBackend.Side from,
      String sdp,
      Consumer<String> onSdp,
      Consumer<MediaException> onError) {
    SipMedia policy = sipMedia;
    step(sdp, () -> context.media().offer(call, from, sdp, policy), onSdp, onError);
  }

  void answer(
      MediaBackend.Side from,
      String sdp,
      Consumer<String> onSdp,
      Consumer<MediaException> onError) {
    step(sdp, () -> context.media().answer(call, from, sdp), onSdp, onError);
  }

  private void step(
      String unchanged,
      Supplier<CompletionStage<String>> operation,
      Consumer<String> onSdp,
      Consumer<MediaException> onError) {
    if (released) {
      return;
    }
    if (passThrough) {
      context.onLoop(
          call,
          () -> {
            if (!released) {
              onSdp.accept(unchanged);
            }
          });
      return;
    }
    allocated = true;
    last =
        last.handle((ignored, error) -> null)
            .thenCompose(
                ignored -> {
                  try {
                    return operation.get();
                  } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                  }
                })
            .whenComplete(
                (sdp, error) ->
                    context.onLoop(
                        call,
                        () -> {
                          if (released) {
                            return;
                          }
                          if (error == null) {
                            onSdp.accept(sdp);
                          } else {
                            onError.accept(asMediaException(error));
                          }
                        }));
  }

  /**
   * Frees the backend's endpoint once every started operation is over; the stage completes (on a
   * backend thread) with the media's final figures, or empty when no endpoint was allocated or the
   * backend could not say.
   */
  CompletionStage<Optional<MediaStats>> release() {
    if (released || !allocated) {
      released = true;
      return CompletableFuture.completedFuture(Optional.empty());
    }
    released = true;
    return last.handle((ignored, error) -> null)
        .thenCompose(ignored -> context.media().release(call))
        .exceptionally(error -> Optional.empty());
  }

  private static MediaException asMediaException(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof MediaException media
        ? media
        : new MediaException("media backend failed: " + cause, false, cause);
  }
}
