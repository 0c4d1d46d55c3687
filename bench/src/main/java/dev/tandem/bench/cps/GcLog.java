package dev.tandem.bench.cps;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge's {@code -Xlog:gc} file: one line per pause, e.g. {@code GC(12) Pause Young (Normal)
 * (G1 Evacuation Pause) 120M->14M(388M) 3.456ms}. Read from a byte offset so each run sees only its
 * own collections.
 */
final class GcLog {
  private static final Pattern PAUSE =
      Pattern.compile("Pause .*?(\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");
  private static final long MB = 1024 * 1024;

  /** One collection pause: heap used before and after it, in bytes, and its duration. */
  record Pause(long beforeBytes, long afterBytes, double millis) {}

  private final Path file;

  GcLog(Path file) {
    this.file = file;
  }

  long length() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      return f.length();
    }
  }

  /** The pauses logged between byte offsets {@code from} and {@code to}. */
  List<Pause> pauses(long from, long to) throws IOException {
    byte[] bytes;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      bytes = new byte[(int) (to - from)];
      f.seek(from);
      f.readFully(bytes);
    }
    List<Pause> pauses = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        pauses.add(
            new Pause(
                Long.parseLong(m.group(1)) * MB,
                Long.parseLong(m.group(2)) * MB,
                Double.parseDouble(m.group(4))));
      }
    }
    return pauses;
  }

  /**
   * Bytes allocated between two moments whose heap use is known: the growth up to each collection
   * (heap before it minus heap after the previous one) plus the growth after the last one.
   */
  static long allocated(long usedAtStart, List<Pause> pauses, long usedAtEnd) {
    long allocated = 0;
    long previous = usedAtStart;
    for (Pause p : pauses) {
      allocated += Math.max(0, p.beforeBytes() - previous);
      previous = p.afterBytes();
    }
    return allocated + Math.max(0, usedAtEnd - previous);
  }
}
