package dev.tandem.e2e;

import java.util.List;

/**
 * Tells plain G.711 audio from SRTP on the wire without knowing any key. Both carry an RTP header in
 * clear with payload type 0 (PCMU) or 8 (PCMA); only plain RTP has a payload that decodes to a
 * signal. Decoded, the neighbouring samples of any tone or voice are strongly correlated (a 440 Hz
 * tone at 8 kHz: cos(2π·440/8000) ≈ 0.94; Firefox's 1 kHz: 0.71), while ciphertext decodes to
 * independent samples (≈ 0). Silence (all samples 0) counts for neither.
 */
final class G711Signal {
  /** What the payloads of a stream say. */
  record Verdict(int packets, long samples, double neighbourCorrelation) {
    @Override
    public String toString() {
      return "%d G.711 packets, %d non-zero samples, neighbour correlation %.3f"
          .formatted(packets, samples, neighbourCorrelation);
    }
  }

  private G711Signal() {}

  /**
   * Decodes every RTP packet with payload type 0 or 8 as G.711 (header, CSRCs and extension
   * skipped; an SRTP tag stays in: it is not audio either) and returns the lag-1 correlation of the
   * decoded samples, over all packets.
   */
  static Verdict of(List<byte[]> rtpPackets) {
    double products = 0;
    double squares = 0;
    long samples = 0;
    int packets = 0;
    for (byte[] p : rtpPackets) {
      if (p.length < 12 || (p[0] & 0xc0) != 0x80) {
        continue;
      }
      int pt = p[1] & 0x7f;
      if (pt != 0 && pt != 8) {
        continue;
      }
      int offset = 12 + 4 * (p[0] & 0x0f);
      if ((p[0] & 0x10) != 0 && offset + 4 <= p.length) {
        offset += 4 + 4 * (((p[offset + 2] & 0xff) << 8) | (p[offset + 3] & 0xff));
      }
      if (offset >= p.length) {
        continue;
      }
      packets++;
      int previous = decode(pt, p[offset]);
      for (int i = offset + 1; i < p.length; i++) {
        int sample = decode(pt, p[i]);
        products += (double) previous * sample;
        squares += (double) sample * sample;
        if (sample != 0) {
          samples++;
        }
        previous = sample;
      }
    }
    return new Verdict(packets, samples, squares == 0 ? 0 : products / squares);
  }

  private static int decode(int payloadType, byte b) {
    return payloadType == 0 ? ulaw(b) : alaw(b);
  }

  /** ITU-T G.711 μ-law to 16-bit linear. */
  static int ulaw(byte b) {
    int u = ~b & 0xff;
    int t = ((u & 0x0f) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
  }

  /** ITU-T G.711 A-law to 16-bit linear. */
  static int alaw(byte b) {
    int a = (b & 0xff) ^ 0x55;
    int t = (a & 0x0f) << 4;
    int segment = (a & 0x70) >> 4;
    if (segment == 0) {
      t += 8;
    } else {
      t = (t + 0x108) << (segment - 1);
    }
    return (a & 0x80) != 0 ? t : -t;
  }
}
