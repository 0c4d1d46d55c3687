package dev.tandem.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.vocabulary.CallId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallRecordJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCompleteRecordHasEveryDocumentedField() throws Exception {
    JsonNode r = JSON.readTree(CallRecordJson.line(SampleCalls.answered("c1")));
    assertThat(r.get("callId").asText()).isEqualTo("c1");
    assertThat(r.get("sipCallId").asText()).isEqualTo("sip-c1@127.0.0.1");
    assertThat(r.get("direction").asText()).isEqualTo("outbound");
    assertThat(r.get("from").asText()).isEqualTo("alice");
    assertThat(r.get("to").asText()).isEqualTo("555");
    assertThat(r.get("destination").asText()).isEqualTo("pbx");
    assertThat(r.get("invited").asText()).isEqualTo("2026-12-01T04:00:00Z");
    assertThat(r.get("ringing").asText()).isEqualTo("2026-12-01T04:00:00.300Z");
    assertThat(r.get("answered").asText()).isEqualTo("2026-12-01T04:00:02.300Z");
    assertThat(r.get("ended").asText()).isEqualTo("2026-12-01T04:00:12.300Z");
    assertThat(r.get("setupMillis").asLong()).isEqualTo(2300);
    assertThat(r.get("durationMillis").asLong()).isEqualTo(10_000);
    assertThat(r.get("endReason").asText()).isEqualTo("remote-hangup");
    assertThat(r.get("sipCode").asInt()).isEqualTo(200);
    assertThat(r.at("/media/fromBrowser/packets").asLong()).isEqualTo(500);
    assertThat(r.at("/media/fromBrowser/bytes").asLong()).isEqualTo(86_000);
    assertThat(r.at("/media/fromBrowser/packetsLost").asLong()).isEqualTo(2);
    assertThat(r.at("/media/fromBrowser/jitter").asLong()).isEqualTo(40);
    assertThat(r.at("/media/fromSip/packetsLost").isNull()).isTrue();
    assertThat(docsFieldList()).containsExactlyElementsOf(() -> r.fieldNames());
  }

  @Test
  void whatAStartedCallHasNotReachedIsNull() throws Exception {
    CallRecord started =
        CallRecord.started(
            new CallId("c2"),
            Optional.empty(),
            CallRecord.Direction.BROWSER_TO_BROWSER,
            "alice",
            "bob",
            Optional.empty(),
            SampleCalls.T0);
    JsonNode r = JSON.readTree(CallRecordJson.line(started));
    for (String field :
        List.of(
            "sipCallId",
            "destination",
            "ringing",
            "answered",
            "ended",
            "setupMillis",
            "durationMillis",
            "endReason",
            "sipCode",
            "media")) {
      assertThat(r.get(field)).as(field).isNotNull();
      assertThat(r.get(field).isNull()).as(field + " is null").isTrue();
    }
    assertThat(r.get("direction").asText()).isEqualTo("browser-to-browser");
  }

  @Test
  void anEventCarriesItsIdTypeTimeAndTheRecordAsOfThen() throws Exception {
    List<CallEvent> events = SampleCalls.events("c3");
    JsonNode ringing = JSON.readTree(CallRecordJson.event(events.get(1)).toString());
    assertThat(ringing.get("id").asText()).isEqualTo("c3.ringing");
    assertThat(ringing.get("type").asText()).isEqualTo("call.ringing");
    assertThat(ringing.get("time").asText()).isEqualTo("2026-12-01T04:00:00.300Z");
    assertThat(ringing.at("/call/answered").isNull()).isTrue();
    assertThat(events)
        .extracting(CallRecordJson::type)
        .containsExactly("call.started", "call.ringing", "call.answered", "call.ended");
  }

  @Test
  void theSummaryLineSaysWhoWhatAndHowItWent() {
    assertThat(CallSummaryLog.line(SampleCalls.answered("c4")))
        .isEqualTo(
            "outbound alice -> 555 via pbx: answered, remote-hangup, SIP 200, setup 2.30 s,"
                + " duration 10.00 s, media from browser 500 packets (2 lost, jitter 40), from SIP"
                + " 498 packets");
  }

  /** The record's fields as docs/events.md lists them, in its table's order. */
  private static List<String> docsFieldList() throws Exception {
    String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/events.md"));
    String table =
        docs.substring(docs.indexOf("| field |"), docs.indexOf("\n\n", docs.indexOf("| field |")));
    return table
        .lines()
        .skip(2)
        .map(line -> line.split("\\|")[1].strip().replace("`", ""))
        .filter(name -> !name.contains("."))
        .toList();
  }
}
