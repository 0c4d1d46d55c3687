package dev.tandem.bench;

import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.srtp.SrtpProfile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-packet cost of SRTP in the embedded relay: protect then unprotect one 20 ms PCMU packet
 * (12-byte header + 160 bytes), as a browser → SIP → browser round trip would, for AES-CM with
 * HMAC-SHA1 and for AES-GCM. One thread: the figure is per core. {@code referenceCopy} copies the
 * same packet once, the floor of any relay.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SrtpBenchmark {
  @Param({"AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
  public SrtpProfile profile;

  private SrtpContext sender;
  private SrtpContext receiver;
  private final byte[] packet = new byte[12 + 160 + SrtpContext.maxOverhead()];
  private final byte[] copy = new byte[packet.length];
  private int seq;

  @Setup
  public void keys() {
    byte[] key = new byte[16];
    byte[] salt = new byte[profile.saltLength];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    sender = new SrtpContext(profile, key, salt);
    receiver = new SrtpContext(profile, key, salt);
    packet[0] = (byte) 0x80;
    packet[11] = 1;
  }

  @Benchmark
  public int protectAndUnprotect() {
    seq = (seq + 1) & 0xFFFF;
    packet[2] = (byte) (seq >>> 8);
    packet[3] = (byte) seq;
    int n = sender.protect(packet, 0, 172);
    return receiver.unprotect(packet, 0, n);
  }

  @Benchmark
  public byte[] referenceCopy() {
    System.arraycopy(packet, 0, copy, 0, 172);
    return copy;
  }
}
