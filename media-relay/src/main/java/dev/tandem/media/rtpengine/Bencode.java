package dev.tandem.media.rtpengine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencoding (the BitTorrent encoding rtpengine's NG protocol uses): byte strings {@code 4:spam},
 * integers {@code i42e}, lists {@code l...e} and dictionaries {@code d...e} with keys in sorted
 * order. Strings decode as UTF-8 {@link String}s, integers as {@link Long}, lists as {@link List},
 * dictionaries as insertion-ordered {@link Map}s.
 */
public final class Bencode {
  /** Deeper nesting than any NG message has; guards the decoder's recursion. */
  private static final int MAX_DEPTH = 32;

  private Bencode() {}

  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(out, value);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object value) {
    if (value instanceof String s) {
      writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof byte[] b) {
      writeBytes(out, b);
    } else if (value instanceof Integer || value instanceof Long) {
      out.writeBytes(("i" + value + "e").getBytes(StandardCharsets.US_ASCII));
    } else if (value instanceof Boolean b) {
      // NG has no booleans; rtpengine reads flags from lists. Encode as 1/0 where one appears.
      out.writeBytes((b ? "i1e" : "i0e").getBytes(StandardCharsets.US_ASCII));
    } else if (value instanceof List<?> list) {
      out.write('l');
      list.forEach(element -> write(out, element));
      out.write('e');
    } else if (value instanceof Map<?, ?> map) {
      // Keys in the order of their raw bytes (BEP 3); for ASCII keys, String order.
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, v));
      out.write('d');
      sorted.forEach(
          (k, v) -> {
            writeBytes(out, k.getBytes(StandardCharsets.UTF_8));
            write(out, v);
          });
      out.write('e');
    } else {
      throw new IllegalArgumentException(
          "cannot bencode " + (value == null ? "null" : value.getClass()));
    }
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    out.write(':');
    out.writeBytes(bytes);
  }

  /** Decodes exactly one value filling {@code data[offset..offset+length)}. */
  public static Object decode(byte[] data, int offset, int length) throws BencodeException {
    Decoder decoder = new Decoder(data, offset, offset + length);
    Object value = decoder.value(0);
    if (decoder.pos != decoder.end) {
      throw new BencodeException(decoder.pos - offset, "trailing bytes after the value");
    }
    return value;
  }

  public static Object decode(byte[] data) throws BencodeException {
    return decode(data, 0, data.length);
  }

  private static final class Decoder {
    private final byte[] data;
    private final int end;
    private int pos;

    Decoder(byte[] data, int start, int end) {
      this.data = data;
      this.pos = start;
      this.end = end;
    }

    Object value(int depth) throws BencodeException {
      if (depth > MAX_DEPTH) {
        throw new BencodeException(pos, "nested deeper than " + MAX_DEPTH);
      }
      if (pos >= end) {
        throw new BencodeException(pos, "truncated");
      }
      byte b = data[pos];
      if (b == 'i') {
        pos++;
        long n = number('e');
        return n;
      }
      if (b == 'l') {
        pos++;
        List<Object> list = new ArrayList<>();
        while (peek() != 'e') {
          list.add(value(depth + 1));
        }
        pos++;
        return list;
      }
      if (b == 'd') {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        while (peek() != 'e') {
          Object key = value(depth + 1);
          if (!(key instanceof String k)) {
            throw new BencodeException(pos, "dictionary key is not a string");
          }
          map.put(k, value(depth + 1));
        }
        pos++;
        return map;
      }
      if (b >= '0' && b <= '9') {
        long length = number(':');
        if (length < 0 || length > end - pos) {
          throw new BencodeException(pos, "string of " + length + " bytes runs past the end");
        }
        String s =
            new String(Arrays.copyOfRange(data, pos, pos + (int) length), StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
      }
      throw new BencodeException(pos, "unexpected byte '" + (char) b + "'");
    }

    private byte peek() throws BencodeException {
      if (pos >= end) {
        throw new BencodeException(pos, "truncated");
      }
      return data[pos];
    }

    private long number(char terminator) throws BencodeException {
      int start = pos;
      boolean negative = pos < end && data[pos] == '-';
      if (negative) {
        pos++;
      }
      long n = 0;
      int digits = 0;
      while (pos < end && data[pos] != terminator) {
        byte d = data[pos++];
        if (d < '0' || d > '9' || ++digits > 18) {
          throw new BencodeException(start, "bad number");
        }
        n = n * 10 + (d - '0');
      }
      if (pos >= end || digits == 0) {
        throw new BencodeException(start, "truncated number");
      }
      pos++;
      return negative ? -n : n;
    }
  }
}
