package dev.switchboard.bench.soak;

/**
 * How churning connections end and which of them join rooms, as shares out of 100 applied in
 * turn (so a run's mix is exact, not sampled): of every 100 ends, {@code silentPercent} go silent
 * and {@code resetPercent} reset, the rest close cleanly; of every 100 connections,
 * {@code joinPercent} join rooms.
 */
public record EndMix(int silentPercent, int resetPercent, int joinPercent) {
  /** How one connection ends. */
  public enum End { CLEAN, RESET, SILENT }

  public EndMix {
    if (silentPercent < 0 || resetPercent < 0 || silentPercent + resetPercent > 100 || joinPercent < 0 || joinPercent > 100) {
      throw new IllegalArgumentException("shares out of 100: silent " + silentPercent + ", reset " + resetPercent
          + ", join " + joinPercent);
    }
  }

  /** How the {@code n}th end goes. */
  public End end(long n) {
    long slot = Math.floorMod(n * 37, 100);
    if (slot < silentPercent) {
      return End.SILENT;
    }
    return slot < silentPercent + resetPercent ? End.RESET : End.CLEAN;
  }

  /** Whether the {@code index}th connection joins rooms. */
  public boolean joins(long index) {
    return Math.floorMod(index * 53, 100) < joinPercent;
  }
}
