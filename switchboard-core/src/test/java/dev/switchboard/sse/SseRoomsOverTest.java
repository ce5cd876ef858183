package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.history.RoomHistory;
import dev.switchboard.rooms.RoomScope;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An SSE endpoint is made over rooms this library made, and says so when given others. */
class SseRoomsOverTest {
  @Test
  void roomsOfAnotherImplementationAreRefused() {
    RoomScope foreign = new RoomScope() {
      @Override
      public RoomHistory history() {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<Map<String, Integer>> roomSizes() {
        return CompletableFuture.completedFuture(Map.of());
      }
    };
    assertThatThrownBy(() -> SseRooms.over(foreign, SseRoomOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not make");
  }
}
