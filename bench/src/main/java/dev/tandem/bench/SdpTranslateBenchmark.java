package dev.tandem.bench;

import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.translate.PlainEndpoint;
import dev.tandem.sdp.translate.SdpTranslationException;
import dev.tandem.sdp.translate.SdpTranslator;
import dev.tandem.sdp.translate.TranslationOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every browser → SIP call costs in SDP work: parse the real Chromium offer, translate it to
 * plain RTP, serialize the result. One thread, so the figure is per core. {@code referenceLines}
 * only splits and re-joins the same text's lines, the least any SDP handling can do; the ratio of
 * the two says what the model costs on top of touching the text.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SdpTranslateBenchmark {
  private String chromeOffer;
  private SdpTranslator translator;
  private PlainEndpoint relay;

  @Setup
  public void load() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/sdp/chrome-offer-audio-only.sdp")) {
      chromeOffer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    translator = new SdpTranslator(TranslationOptions.defaults());
    relay = PlainEndpoint.of("203.0.113.10", 30000);
  }

  @Benchmark
  public String parseTranslateSerialize() throws SdpParseException, SdpTranslationException {
    return translator.toPlainOffer(SessionDescription.parse(chromeOffer), relay).sdp().toString();
  }

  @Benchmark
  public SessionDescription parse() throws SdpParseException {
    return SessionDescription.parse(chromeOffer);
  }

  @Benchmark
  public String referenceLines() {
    return String.join("\r\n", chromeOffer.split("\r?\n"));
  }
}
