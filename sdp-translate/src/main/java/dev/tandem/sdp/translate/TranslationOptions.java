package dev.tandem.sdp.translate;

/**
 * Choices an operator makes about translation.
 *
 * @param opusTowardSip offer opus to SIP endpoints (only useful when they have it: it passes
 *     through untouched, wideband, but most phones and trunks do not decode it)
 */
public record TranslationOptions(boolean opusTowardSip) {
  public static TranslationOptions defaults() {
    return new TranslationOptions(false);
  }
}
