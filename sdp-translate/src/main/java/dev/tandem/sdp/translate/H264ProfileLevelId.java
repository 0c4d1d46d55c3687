package dev.tandem.sdp.translate;

import dev.tandem.sdp.Fmtp;
import java.util.Optional;

/**
 * The H.264 {@code profile-level-id} and {@code packetization-mode} of one format (RFC 6184 §8.1),
 * as far as offer/answer needs them: two H.264 formats are the same codec when profile and
 * packetization-mode are equal; the level may differ (the answerer names the level it receives, and
 * {@code level-asymmetry-allowed} lets each side send at the other's level).
 *
 * <p>The profile is read from {@code profile_idc} and the constraint flags of {@code profile-iop}
 * the way libwebrtc reads them ({@code h264_profile_level_id.cc}), since browsers decide by that
 * reading: {@code 42e01f} is Constrained Baseline, {@code 42001f} Baseline, {@code 4d001f} Main,
 * {@code 640c1f} Constrained High. Without {@code profile-level-id} the format is taken as
 * Constrained Baseline, as libwebrtc does (RFC 6184 says Baseline level 1; the browser on the other
 * side of the bridge decides by libwebrtc's default, and SIP phones that omit the parameter send
 * baseline streams without FMO/ASO, which is Constrained Baseline in practice).
 *
 * @param levelIdc {@code level_idc}, e.g. 31 for level 3.1 ({@code 1f})
 * @param packetizationMode 0 (single NAL unit), 1 (non-interleaved) or 2 (interleaved)
 */
public record H264ProfileLevelId(Profile profile, int levelIdc, int packetizationMode) {

  /** The H.264 profiles that libwebrtc tells apart (ITU-T H.264 Annex A). */
  public enum Profile {
    CONSTRAINED_BASELINE,
    BASELINE,
    MAIN,
    EXTENDED,
    HIGH,
    CONSTRAINED_HIGH,
    PREDICTIVE_HIGH_444,
    /** A profile_idc or constraint combination none of the others names; never matches. */
    OTHER
  }

  /** Level 3.1, libwebrtc's level when {@code profile-level-id} is absent. */
  static final int DEFAULT_LEVEL = 31;

  /**
   * The profile, level and packetization-mode of an H.264 format's fmtp (absent: Constrained
   * Baseline, level 3.1, mode 0).
   *
   * @throws IllegalArgumentException when {@code profile-level-id} is not 6 hex digits or {@code
   *     packetization-mode} not 0, 1 or 2
   */
  public static H264ProfileLevelId of(Optional<Fmtp> fmtp) {
    Optional<String> pli = fmtp.flatMap(f -> f.parameter("profile-level-id"));
    Optional<String> mode = fmtp.flatMap(f -> f.parameter("packetization-mode"));
    int packetization = mode.map(H264ProfileLevelId::packetizationMode).orElse(0);
    if (pli.isEmpty()) {
      return new H264ProfileLevelId(Profile.CONSTRAINED_BASELINE, DEFAULT_LEVEL, packetization);
    }
    String hex = pli.get();
    if (hex.length() != 6 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(
          "H.264 profile-level-id needs 6 hex digits, not \"" + hex + "\"");
    }
    int idc = Integer.parseInt(hex.substring(0, 2), 16);
    int iop = Integer.parseInt(hex.substring(2, 4), 16);
    int level = Integer.parseInt(hex.substring(4, 6), 16);
    return new H264ProfileLevelId(profile(idc, iop), level, packetization);
  }

  /** Same profile and packetization-mode: the same codec for matching (RFC 6184 §8.1). */
  public boolean sameCodec(H264ProfileLevelId other) {
    return profile != Profile.OTHER
        && profile == other.profile
        && packetizationMode == other.packetizationMode;
  }

  private static int packetizationMode(String value) {
    return switch (value) {
      case "0" -> 0;
      case "1" -> 1;
      case "2" -> 2;
      default ->
          throw new IllegalArgumentException(
              "H.264 packetization-mode must be 0, 1 or 2, not \"" + value + "\"");
    };
  }

  /**
   * libwebrtc's table: profile_idc, then a pattern over profile-iop (constraint_set0..5 flags from
   * the top bit; the low reserved bits must be zero).
   */
  private static Profile profile(int idc, int iop) {
    boolean set0 = (iop & 0x80) != 0;
    boolean set1 = (iop & 0x40) != 0;
    boolean set3 = (iop & 0x10) != 0;
    int reserved = iop & 0x0f;
    return switch (idc) {
      case 0x42 ->
          reserved != 0 ? Profile.OTHER : set1 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE;
      case 0x4d -> {
        if (reserved != 0) {
          yield Profile.OTHER;
        }
        if (set0) {
          yield Profile.CONSTRAINED_BASELINE;
        }
        yield set3 ? Profile.OTHER : Profile.MAIN; // "0x0x0000"
      }
      case 0x58 -> {
        if (reserved != 0 || !set0) {
          yield Profile.OTHER;
        }
        yield set1 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE; // "11xx", "10xx"
      }
      case 0x64 ->
          iop == 0x00 ? Profile.HIGH : iop == 0x0c ? Profile.CONSTRAINED_HIGH : Profile.OTHER;
      case 0xf4 -> iop == 0x00 ? Profile.PREDICTIVE_HIGH_444 : Profile.OTHER;
      default -> Profile.OTHER;
    };
  }
}
