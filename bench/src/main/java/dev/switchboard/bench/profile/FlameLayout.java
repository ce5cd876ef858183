package dev.switchboard.bench.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Places a {@link StackTree}'s frames for a flame graph: each frame as wide as its samples, its
 * callees on the level above, side by side in name order. Frames below the threshold are merged
 * per caller into one box (left out when even that stays below it); the threshold doubles until
 * the graph has at most {@link #MAX_BOXES} boxes, which keeps the drawing small.
 */
final class FlameLayout {
  /** Frames with fewer than this share of all samples are merged. */
  static final double MIN_SHARE = 0.001;
  static final int MAX_BOXES = 1500;

  /**
   * One box: {@code level} 0 is the common root, {@code start} and {@code samples} place it on the
   * sample axis; {@code merged} is 0 for a frame, else the number of small frames it stands for.
   */
  record Box(int level, long start, long samples, String frame, int merged) {
    boolean isMerged() {
      return merged > 0;
    }
  }

  /** The boxes, root first, and the smallest number of samples a frame needed to be drawn. */
  record Layout(List<Box> boxes, long minSamples, long total) {
    int levels() {
      return boxes.stream().mapToInt(Box::level).max().orElse(0) + 1;
    }
  }

  private FlameLayout() {}

  static Layout of(StackTree tree) {
    long total = tree.root().samples();
    long minSamples = Math.max(1, (long) Math.ceil(total * MIN_SHARE));
    while (true) {
      List<Box> boxes = new ArrayList<>();
      boxes.add(new Box(0, 0, total, tree.root().name(), 0));
      place(tree.root(), 0, minSamples, boxes);
      if (boxes.size() <= MAX_BOXES) {
        return new Layout(List.copyOf(boxes), minSamples, total);
      }
      minSamples *= 2;
    }
  }

  private static void place(StackTree.Node caller, long start, long minSamples, List<Box> boxes) {
    long x = start;
    long small = 0;
    int smallCount = 0;
    for (StackTree.Node callee : caller.children()) {
      if (callee.samples() < minSamples) {
        small += callee.samples();
        smallCount++;
        continue;
      }
      boxes.add(new Box(callee.depth() + 1, x, callee.samples(), callee.name(), 0));
      place(callee, x, minSamples, boxes);
      x += callee.samples();
    }
    if (small >= minSamples) {
      boxes.add(new Box(caller.depth() + 2, x, small, "", smallCount));
    }
  }
}
