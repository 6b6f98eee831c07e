package dev.queenj.kafka.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** That stored headers come back to consumers byte-exact is RecordsEncoderTest's: fetches copy them as stored. */
class RecordHeadersTest {

  @Test
  void noHeadersAreStoredAsNull() {
    assertThat(RecordHeaders.encode(new Header[0])).isNull();
  }
}
