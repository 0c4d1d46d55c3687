package dev.tandem.sip.call;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.sip.header.ContentTypeHeader;

/**
 * Key-frame requests in SIP INFO (RFC 5168, "XML Schema for Media Control"): the {@code
 * application/media_control+xml} body {@code <media_control><vc_primitive><to_encoder>
 * <picture_fast_update/>} that SIP video phones and MCUs without RTCP feedback (RFC 4585 PLI, RFC
 * 5104 FIR) use to ask the other side's encoder for an intra frame. The body is read by pattern,
 * not by an XML parser: nothing in it is resolved, fetched or expanded.
 */
final class PictureFastUpdate {
  /** The content type, {@code application/media_control+xml}. */
  static final String TYPE = "application";

  static final String SUBTYPE = "media_control+xml";

  /** The request body, as RFC 5168 §3's example writes it. */
  static final String BODY =
      "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n"
          + "<media_control>\r\n"
          + "  <vc_primitive>\r\n"
          + "    <to_encoder>\r\n"
          + "      <picture_fast_update/>\r\n"
          + "    </to_encoder>\r\n"
          + "  </vc_primitive>\r\n"
          + "</media_control>\r\n";

  private static final Pattern MEDIA_CONTROL = Pattern.compile("<\\s*media_control[\\s>]");
  private static final Pattern FAST_UPDATE =
      Pattern.compile(
          "<\\s*to_encoder\\s*>\\s*<\\s*picture_fast_update\\s*/?\\s*>", Pattern.DOTALL);

  /** What an INFO's media_control body asks. */
  enum Body {
    /** A key frame ({@code vc_primitive/to_encoder/picture_fast_update}). */
    PICTURE_FAST_UPDATE,
    /** Another primitive of the schema (a {@code general_error}, a stream id alone ...). */
    OTHER_PRIMITIVE,
    /** No {@code <media_control>} element: not RFC 5168's body. */
    NOT_MEDIA_CONTROL
  }

  private PictureFastUpdate() {}

  /** Whether the INFO's body is {@code application/media_control+xml}. */
  static boolean readable(ContentTypeHeader type) {
    return type != null
        && TYPE.equalsIgnoreCase(type.getContentType())
        && SUBTYPE.equalsIgnoreCase(type.getContentSubType());
  }

  /** What {@code raw} (a readable INFO's body) asks. */
  static Body read(byte[] raw) {
    String body = new String(raw, StandardCharsets.UTF_8);
    if (!MEDIA_CONTROL.matcher(body).find()) {
      return Body.NOT_MEDIA_CONTROL;
    }
    return FAST_UPDATE.matcher(body).find() ? Body.PICTURE_FAST_UPDATE : Body.OTHER_PRIMITIVE;
  }
}
