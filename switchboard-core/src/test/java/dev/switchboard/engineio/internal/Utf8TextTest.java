package dev.switchboard.engineio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8TextTest {
  @Test
  void knownTextsAndFaults() {
    assertThat(valid("")).isTrue();
    assertThat(valid("42[\"publish\",\"room\",{\"t\":1}]")).isTrue();
    assertThat(valid("42[\"msg\",\"héllo wörld, 你好, 🎉\"]")).isTrue();
    assertThat(validHex("e282")).isFalse(); // truncated at the end
    assertThat(validHex("3132333435363738e282")).isFalse(); // truncated after a whole ASCII word
    assertThat(validHex("c0af")).isFalse(); // overlong
    assertThat(validHex("eda080")).isFalse(); // a surrogate
    assertThat(validHex("f4908080")).isFalse(); // above U+10FFFF
    assertThat(validHex("61626364656667686980")).isFalse(); // a lone continuation byte after nine ASCII
  }

  @Test
  void agreesWithNettyOnRandomMessagesAtAnyOffset() {
    Random random = new Random(11);
    byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
        "你".getBytes(StandardCharsets.UTF_8), "🎉".getBytes(StandardCharsets.UTF_8), {(byte) 0x80}, {(byte) 0xc3},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xff}};
    for (int i = 0; i < 20_000; i++) {
      ByteBuf text = random.nextBoolean() ? Unpooled.buffer() : Unpooled.directBuffer();
      try {
        int skip = random.nextInt(9);
        text.writeZero(skip).readerIndex(skip);
        boolean asciiMostly = random.nextInt(4) > 0;
        for (int n = random.nextInt(40); n > 0; n--) {
          text.writeBytes(pieces[asciiMostly && random.nextInt(20) > 0 ? 0 : random.nextInt(pieces.length)]);
        }
        int before = text.readerIndex();
        boolean expected = ByteBufUtil.isText(text, StandardCharsets.UTF_8);
        assertThat(Utf8Text.isValid(text)).as(ByteBufUtil.hexDump(text)).isEqualTo(expected);
        assertThat(text.readerIndex()).isEqualTo(before);
      } finally {
        text.release();
      }
    }
  }

  private static boolean valid(String text) {
    return check(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private static boolean validHex(String hex) {
    return check(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
  }

  private static boolean check(ByteBuf text) {
    try {
      return Utf8Text.isValid(text);
    } finally {
      text.release();
    }
  }
}
