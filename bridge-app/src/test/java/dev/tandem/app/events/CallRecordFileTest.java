package dev.tandem.app.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallRecordFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static List<String> lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void writesOneLinePerEndedCallAppendingToWhatIsThere() throws Exception {
    Path file = dir.resolve("calls.jsonl");
    Files.writeString(file, "{\"callId\":\"from-before\"}\n");
    try (CallRecordFile records = new CallRecordFile(file, 100)) {
      SampleCalls.events("a1").forEach(records::on);
      SampleCalls.events("b2").forEach(records::on);
      await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == 3);
      assertThat(records.written()).isEqualTo(2);
    }
    List<String> lines = lines(file);
    assertThat(lines.get(0)).isEqualTo("{\"callId\":\"from-before\"}");
    assertThat(JSON.readTree(lines.get(1)).get("callId").asText()).isEqualTo("a1");
    assertThat(JSON.readTree(lines.get(2)).get("sipCode").asInt()).isEqualTo(200);
    assertThat(lines.get(1)).isEqualTo(CallRecordJson.line(SampleCalls.answered("a1")));
  }

  @Test
  void reopenWritesTheNextRecordToAFreshFileAfterARotation() throws Exception {
    Path file = dir.resolve("calls.jsonl");
    Path rotated = dir.resolve("calls.jsonl.1");
    try (CallRecordFile records = new CallRecordFile(file, 100)) {
      records.on(SampleCalls.events("a1").get(3));
      await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == 1);
      Files.move(file, rotated);
      records.reopen();
      records.on(SampleCalls.events("b2").get(3));
      await().atMost(Duration.ofSeconds(5)).until(() -> lines(file).size() == 1);
    }
    assertThat(JSON.readTree(lines(rotated).get(0)).get("callId").asText()).isEqualTo("a1");
    assertThat(JSON.readTree(lines(file).get(0)).get("callId").asText()).isEqualTo("b2");
  }

  @Test
  void closeWritesWhatIsStillQueued() throws Exception {
    Path file = dir.resolve("calls.jsonl");
    CallRecordFile records = new CallRecordFile(file, 1000);
    for (int i = 0; i < 500; i++) {
      records.on(SampleCalls.events("c" + i).get(3));
    }
    records.close();
    assertThat(lines(file)).hasSize(500 - (int) records.dropped());
    assertThat(records.dropped()).isZero();
  }

  @Test
  void aFileInAMissingDirectoryIsRefusedAtOnce() {
    assertThatThrownBy(() -> new CallRecordFile(dir.resolve("no/such/calls.jsonl"), 10))
        .isInstanceOf(NoSuchFileException.class);
  }
}
