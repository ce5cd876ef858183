package dev.switchboard.bench.soak;

/** The rooms the stayers sit in and the publisher feeds: {@code soak-0} ... {@code soak-<count-1>}. */
public record SoakRooms(int count) {
  public SoakRooms {
    if (count < 1) {
      throw new IllegalArgumentException("at least one room, got " + count);
    }
  }

  public String name(int index) {
    return "soak-" + index;
  }
}
