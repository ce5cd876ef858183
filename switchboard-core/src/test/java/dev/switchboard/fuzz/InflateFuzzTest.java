package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.engineio.internal.DeflatedMessages;
import io.netty.buffer.Unpooled;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What a permessage-deflate client may send as a compressed message: inflating it either gives
 * at most the limit's bytes or fails with {@link DeflatedMessages.TooBig} or
 * {@link DataFormatException}; the shared inflater is usable again afterwards either way.
 */
class InflateFuzzTest {
  private static final int LIMIT = 4096;

  @FuzzTest(maxDuration = "2m")
  void inflateWithinTheLimit(byte[] input) throws Exception {
    Inflater inflater = DeflatedMessages.sharedInflater();
    try {
      byte[] out = DeflatedMessages.inflate(Unpooled.wrappedBuffer(input), inflater, LIMIT, true);
      assertThat(out.length).isLessThanOrEqualTo(LIMIT);
    } catch (DeflatedMessages.TooBig | DataFormatException expected) {
      // the connection is closed with 1009 or 1007
    }
    // An empty stored block: what a fresh inflater reads as an empty message.
    assertThat(DeflatedMessages.inflate(Unpooled.wrappedBuffer(new byte[] {0x00}), inflater, LIMIT, true)).isEmpty();
  }
}
