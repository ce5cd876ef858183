package dev.switchboard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IdleTallyTest {
  @Test
  void tallyOfSeveralLoadGeneratorsIsTheirSumWithTheLongestRamp() {
    IdleTally a = new IdleTally(3, 1, new long[] {2, 1}, 3, 0, 3, 4, 2.5);
    IdleTally b = new IdleTally(2, 0, new long[] {1, 1}, 1, 1, 1, 1, 4.0);
    IdleTally sum = IdleTally.empty(2).plus(a).plus(b);
    assertThat(sum.connected()).isEqualTo(5);
    assertThat(sum.failed()).isEqualTo(1);
    assertThat(sum.connectedByNode()).containsExactly(3, 2);
    assertThat(sum.open()).isEqualTo(4);
    assertThat(sum.dropped()).isEqualTo(1);
    assertThat(sum.pinged()).isEqualTo(4);
    assertThat(sum.pings()).isEqualTo(5);
    assertThat(sum.rampSeconds()).isEqualTo(4.0);
  }

  @Test
  void tallySurvivesTheJsonLineBetweenProcesses() throws Exception {
    IdleTally tally = new IdleTally(16667, 2, new long[] {5556, 5556, 5555}, 16660, 7, 16660, 16700, 38.25);
    IdleTally read = IdleTally.fromJson(new ObjectMapper().readTree(tally.toJson().put("phase", "ramped").toString()));
    assertThat(read.connected()).isEqualTo(16667);
    assertThat(read.failed()).isEqualTo(2);
    assertThat(read.connectedByNode()).containsExactly(5556, 5556, 5555);
    assertThat(read.open()).isEqualTo(16660);
    assertThat(read.dropped()).isEqualTo(7);
    assertThat(read.pinged()).isEqualTo(16660);
    assertThat(read.pings()).isEqualTo(16700);
    assertThat(read.rampSeconds()).isEqualTo(38.25);
  }

  @Test
  void sharesSplitTheConnectionsWithTheRemainderToTheFirstLoadGenerators() {
    assertThat(IdleWorkers.share(100_000, 6, 0)).isEqualTo(16_667);
    assertThat(IdleWorkers.share(100_000, 6, 3)).isEqualTo(16_667);
    assertThat(IdleWorkers.share(100_000, 6, 4)).isEqualTo(16_666);
    long total = 0;
    for (int i = 0; i < 6; i++) {
      total += IdleWorkers.share(100_000, 6, i);
    }
    assertThat(total).isEqualTo(100_000);
  }
}
