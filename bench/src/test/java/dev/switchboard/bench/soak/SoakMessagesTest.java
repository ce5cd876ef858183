package dev.switchboard.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakMessagesTest {
  @Test
  void theNumberComesBackFromThePacketAStayerReceives() {
    String packet = "42[\"msg\"," + SoakMessages.payload(123_456_789L, 4711) + "]";
    assertThat(packet).startsWith(SoakMessages.MESSAGE_PREFIX);
    assertThat(SoakMessages.number(packet)).isEqualTo(4711);
    assertThat(SoakMessages.number("42[\"presence:join\",{\"id\":\"x\"}]")).isEqualTo(-1);
  }

  @Test
  void endsAndJoinsFollowTheirSharesExactlyInEveryHundred() {
    EndMix mix = new EndMix(5, 25, 30);
    int silent = 0;
    int reset = 0;
    int joins = 0;
    for (int n = 0; n < 100; n++) {
      switch (mix.end(n)) {
        case SILENT -> silent++;
        case RESET -> reset++;
        case CLEAN -> { }
      }
      joins += mix.joins(n) ? 1 : 0;
    }
    assertThat(silent).isEqualTo(5);
    assertThat(reset).isEqualTo(25);
    assertThat(joins).isEqualTo(30);
  }
}
