package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
  /** No header: the whole blob, 200. */
  @Test
  void noHeaderIsWholeBlob() throws Exception {
    assertThat(ByteRange.parse(null, 100)).isEqualTo(new ByteRange(0, 100, false));
  }

  /** Open, closed and suffix ranges, clamped to the blob. */
  @Test
  void singleRanges() throws Exception {
    assertThat(ByteRange.parse("bytes=40-", 100)).isEqualTo(new ByteRange(40, 60, true));
    assertThat(ByteRange.parse("bytes=10-19", 100)).isEqualTo(new ByteRange(10, 10, true));
    assertThat(ByteRange.parse("bytes=90-500", 100)).isEqualTo(new ByteRange(90, 10, true));
    assertThat(ByteRange.parse("bytes=-5", 100)).isEqualTo(new ByteRange(95, 5, true));
    assertThat(ByteRange.parse("bytes=10-19", 100).contentRange(100)).isEqualTo("bytes 10-19/100");
  }

  /** A start beyond the end is 416; unsupported forms fall back to the whole blob. */
  @Test
  void outsideIsUnsatisfiableOthersIgnored() throws Exception {
    assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    assertThat(ByteRange.parse("bytes=0-1,5-6", 100).partial()).isFalse();
    assertThat(ByteRange.parse("items=1-2", 100).partial()).isFalse();
  }
}
