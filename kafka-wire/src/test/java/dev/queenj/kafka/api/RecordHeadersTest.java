package dev.queenj.kafka.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class RecordHeadersTest {

  @Test
  void noHeadersAreStoredAsNull() {
    assertThat(RecordHeaders.encode(new Header[0])).isNull();
    assertThat(RecordHeaders.decode(null)).isEmpty();
  }

  @Test
  void headersRoundTripByteExactInOrderWithDuplicatesAndNulls() {
    Header[] headers = {
        new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("ключ", null),
        new RecordHeader("trace", new byte[0]),
        new RecordHeader("bin", new byte[300])};
    headers[3].value()[299] = (byte) 0xff;

    assertThat(RecordHeaders.decode(RecordHeaders.encode(headers))).containsExactly(headers);
  }
}
