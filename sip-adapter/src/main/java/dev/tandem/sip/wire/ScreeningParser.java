package dev.tandem.sip.wire;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.SipStack;

/**
 * JAIN-SIP's message parser with two things added, because JAIN-SIP loses them:
 *
 * <ul>
 *   <li>a request line with a SIP version other than 2.0 fails JAIN-SIP's parser (a 400 at best,
 *       over TCP nothing); it is parsed as 2.0 instead and marked, so that it is answered 505 (RFC
 *       3261 §8.1.1.1, §21.5.6);
 *   <li>JAIN-SIP keeps the first of two From, To, Call-ID, CSeq or Max-Forwards headers and drops
 *       the other silently; the request is marked so that it is answered 400.
 * </ul>
 *
 * The marks are a {@link WireDefects} in the request's application data. A UDP request without
 * From, To, Call-ID, CSeq or Via fails here with a {@link ParseException} (JAIN-SIP would throw a
 * NullPointerException and log the whole 64 KiB receive buffer); its WARN line is written here. A
 * message that fails to parse is logged here too; over TCP without its peer, as JAIN-SIP's NIO
 * parser does not tell the parser the channel; one that parses but lacks those headers is logged by
 * its channel, with the peer.
 *
 * <p>Set as {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}. Stateless; one instance serves every
 * channel of a stack.
 */
public final class ScreeningParser implements MessageParser {
  // request line: method SP Request-URI SP SIP-Version (RFC 3261 §25.1)
  private static final Pattern REQUEST_LINE =
      Pattern.compile("([A-Za-z!%*_+`'~.-]+ \\S+ )(SIP/(\\d{1,3})\\.(\\d{1,3}))\\s*");
  private static final Map<String, String> ONCE_ONLY = onceOnly();

  private final MessageParser delegate = new StringMsgParser();
  private final WireLog wire;

  ScreeningParser(WireLog wire) {
    this.wire = wire;
  }

  /** Creates the parser of a stack; named in the stack's properties. */
  public static final class Factory implements MessageParserFactory {
    private ScreeningParser parser;

    @Override
    public synchronized MessageParser createMessageParser(SIPTransactionStack stack) {
      if (parser == null) {
        parser = new ScreeningParser(StackHooks.of(((SipStack) stack).getStackName()).wire());
      }
      return parser;
    }
  }

  @Override
  public SIPMessage parseSIPMessage(
      byte[] bytes, boolean readBody, boolean strict, ParseExceptionListener listener)
      throws ParseException {
    String firstLine = firstLine(bytes);
    Optional<String> version = Optional.empty();
    byte[] input = bytes;
    Matcher request = REQUEST_LINE.matcher(firstLine);
    if (!firstLine.startsWith("SIP/") && request.matches() && !isTwoZero(request)) {
      version = Optional.of(request.group(2));
      input = withVersionTwo(bytes, request);
    }
    try {
      SIPMessage message = delegate.parseSIPMessage(input, readBody, strict, listener);
      if (message instanceof SIPRequest sipRequest) {
        List<String> duplicated = duplicated(bytes);
        if (version.isPresent() || !duplicated.isEmpty()) {
          sipRequest.setApplicationData(new WireDefects(version, duplicated));
        }
        if (listener instanceof UDPMessageChannel) {
          Optional<String> missing = missingHeader(message);
          if (missing.isPresent()) {
            throw new ParseException("no " + missing.get() + " header", 0);
          }
        }
      }
      return message;
    } catch (ParseException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (listener instanceof MessageChannel channel) {
        wire.malformed(
            channel.getPeerAddress(),
            channel.getTransport().toLowerCase(Locale.ROOT),
            why + " in " + quote(firstLine));
      } else if (listener == null && !readBody) {
        // JAIN-SIP's NIO parser hands a stream message's head over without its channel (on its
        // AffinityJAIN pool); its own re-parses of messages it built read the body.
        wire.malformed("a TCP/TLS peer", "stream", why + " in " + quote(firstLine));
      }
      throw e instanceof ParseException p ? p : new ParseException(why, 0);
    }
  }

  /** Peer text in quotes, cut to {@link WireLog#MAX_QUOTE} characters (escaped when logged). */
  static String quote(String text) {
    return "\""
        + (text.length() > WireLog.MAX_QUOTE ? text.substring(0, WireLog.MAX_QUOTE) + "..." : text)
        + "\"";
  }

  /** The first of the headers every request and response needs that {@code message} lacks. */
  static Optional<String> missingHeader(SIPMessage message) {
    if (message.getFrom() == null) {
      return Optional.of("From");
    }
    if (message.getTo() == null) {
      return Optional.of("To");
    }
    if (message.getCallId() == null) {
      return Optional.of("Call-ID");
    }
    if (message.getCSeq() == null) {
      return Optional.of("CSeq");
    }
    if (message.getTopmostVia() == null) {
      return Optional.of("Via");
    }
    return Optional.empty();
  }

  private static boolean isTwoZero(Matcher request) {
    return Integer.parseInt(request.group(3)) == 2 && Integer.parseInt(request.group(4)) == 0;
  }

  private static String firstLine(byte[] bytes) {
    int start = 0;
    while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
      start++;
    }
    int end = start;
    while (end < bytes.length && bytes[end] != '\r' && bytes[end] != '\n' && end - start < 2048) {
      end++;
    }
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  private static byte[] withVersionTwo(byte[] bytes, Matcher request) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf(request.group(1)) + request.group(1).length();
    String rewritten =
        text.substring(0, at) + "SIP/2.0" + text.substring(at + request.group(2).length());
    return rewritten.getBytes(StandardCharsets.UTF_8);
  }

  /** The once-only headers (RFC 3261 §7.3.1, §20) that appear more than once in the head. */
  static List<String> duplicated(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Map<String, Integer> counts = new HashMap<>();
    List<String> duplicated = new ArrayList<>();
    boolean startLineSeen = false;
    for (String line : text.split("\r\n|\n", -1)) {
      if (!startLineSeen) {
        startLineSeen = !line.isEmpty();
        continue;
      }
      if (line.isEmpty()) {
        break; // end of the head
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        continue; // a folded continuation (RFC 3261 §7.3.1)
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = ONCE_ONLY.get(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
      if (name != null && counts.merge(name, 1, Integer::sum) == 2) {
        duplicated.add(name);
      }
    }
    return duplicated;
  }

  private static Map<String, String> onceOnly() {
    Map<String, String> names = new HashMap<>();
    names.put("from", "From");
    names.put("f", "From");
    names.put("to", "To");
    names.put("t", "To");
    names.put("call-id", "Call-ID");
    names.put("i", "Call-ID");
    names.put("cseq", "CSeq");
    names.put("max-forwards", "Max-Forwards");
    return Map.copyOf(names);
  }
}
