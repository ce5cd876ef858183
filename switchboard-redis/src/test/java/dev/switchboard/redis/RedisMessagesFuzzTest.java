package dev.switchboard.redis;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Every decoder of what a node reads from Redis, fed hostile bytes: anyone who can publish on the
 * cluster's channels (or a node of another version) can send them. A decoder answers a message
 * or throws {@link IOException}, which the node logs and drops; any other exception is a finding.
 */
class RedisMessagesFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void decode(FuzzedDataProvider data) throws Exception {
    int decoder = data.consumeInt(0, 6);
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      switch (decoder) {
        case 0 -> Messages.stamped(bytes);
        case 1 -> Messages.broadcast(bytes);
        case 2 -> Messages.toAll(bytes);
        case 3 -> Messages.toNode(bytes);
        case 4 -> PollMessages.read(bytes);
        case 5 -> Notepack.decode(bytes);
        default -> SocketIoMessages.parse(bytes);
      }
    } catch (IOException expected) {
      // dropped with a warning
    }
  }
}
