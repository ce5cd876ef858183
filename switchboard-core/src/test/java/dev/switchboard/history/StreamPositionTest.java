package dev.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A position's one spelling, {@code epoch:offset}, and the older {@code epoch.offset} it still reads. */
class StreamPositionTest {
  @Test
  void isSpelledEpochColonOffsetAndReadBack() {
    StreamPosition position = new StreamPosition("Xk3_pQ7a", 42);
    assertThat(position.toString()).isEqualTo("Xk3_pQ7a:42");
    assertThat(StreamPosition.parse(position.toString())).contains(position);
  }

  @Test
  void readsTheOlderSpellingToo() {
    assertThat(StreamPosition.parse("Xk3_pQ7a.42")).contains(new StreamPosition("Xk3_pQ7a", 42));
    assertThat(StreamPosition.parse("a.b:7")).as("the colon wins").contains(new StreamPosition("a.b", 7));
  }

  @Test
  void refusesWhatIsNoPosition() {
    for (String text : new String[] {"", ":5", ".5", "e:", "e.", "e:x", "e:-1", "e:+1", "e:1.5", "e:99999999999999999999", "e"}) {
      assertThat(StreamPosition.parse(text)).as(text).isEmpty();
    }
  }
}
