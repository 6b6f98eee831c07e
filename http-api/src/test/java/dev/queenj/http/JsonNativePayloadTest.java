package dev.queenj.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A dead letter's payload requeued as a native push: JSON kept byte for byte, anything else as the string shown. */
class JsonNativePayloadTest {
  @Test
  void jsonTextIsKeptByteForByte() {
    byte[] json = "{ \"n\": 1.50,\n \"big\": 12345678901234567890123 }".getBytes(StandardCharsets.UTF_8);

    assertThat(Json.nativePayload(json)).isSameAs(json);
  }

  @Test
  void anythingElseBecomesTheJsonStringTheListingShows() {
    byte[] text = "plain text, not JSON".getBytes(StandardCharsets.UTF_8);
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01};

    assertThat(new String(Json.nativePayload(text), StandardCharsets.UTF_8)).isEqualTo("\"plain text, not JSON\"");
    assertThat(new String(Json.nativePayload(binary), StandardCharsets.UTF_8)).isEqualTo("\"//4AAQ==\"");
    assertThat(new String(Json.nativePayload(new byte[0]), StandardCharsets.UTF_8)).isEqualTo("\"\"");
    assertThat(Json.nativePayload(null)).isNull();
  }
}
