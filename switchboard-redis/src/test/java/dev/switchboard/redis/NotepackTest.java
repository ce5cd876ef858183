package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.http.internal.Json;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What notepack writes that the captured messages do not show, and hostile input. */
class NotepackTest {
  private static String decoded(String hex) throws IOException {
    return Json.stringify(Notepack.decode(HexFormat.of().parseHex(hex)));
  }

  @Test
  void olderNotepacksUndefinedIsNullInAnArrayAndLeftOutOfAMap() throws IOException {
    // [1, undefined] and {a: undefined, b: 1} as notepack 2 writes them (fixext 1 of type 0).
    assertThat(decoded("9201d40000")).isEqualTo("[1,null]");
    assertThat(decoded("82a161d40000a16201")).isEqualTo("{\"b\":1}");
  }

  @Test
  void integralDoublesAreWrittenAsIntegersAsJavaScriptNumbersAre() {
    assertThat(HexFormat.of().formatHex(Notepack.encode(Json.MAPPER.getNodeFactory().numberNode(2.0)))).isEqualTo("02");
    assertThat(HexFormat.of().formatHex(Notepack.encode(Json.MAPPER.getNodeFactory().numberNode(-40.0)))).isEqualTo("d0d8");
    assertThat(HexFormat.of().formatHex(Notepack.encode(Json.MAPPER.getNodeFactory().numberNode(0.5))))
        .isEqualTo("cb3fe0000000000000");
  }

  @Test
  void aDateIsItsIsoText() throws IOException {
    // timestamp 32 of 1 700 000 000 s
    assertThat(decoded("d6ff6553f100")).isEqualTo("\"2023-11-14T22:13:20.000Z\"");
  }

  @Test
  void malformedAndHostileInputFailsClearly() {
    assertThatThrownBy(() -> Notepack.decode(HexFormat.of().parseHex("92"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Notepack.decode(HexFormat.of().parseHex("0101"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Notepack.decode(HexFormat.of().parseHex("c7010501"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> Notepack.decode(HexFormat.of().parseHex("91".repeat(100) + "01")))
        .isInstanceOf(IOException.class).hasMessageContaining("deeper");
    // an array announcing four billion items
    assertThatThrownBy(() -> Notepack.decode(HexFormat.of().parseHex("ddffffffff"))).isInstanceOf(IOException.class);
  }
}
