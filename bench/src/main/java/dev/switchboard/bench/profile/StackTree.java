package dev.switchboard.bench.profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Collapsed stacks merged into one tree: a frame's samples are those of every stack passing through it. */
final class StackTree {
  /** One frame in its callers' context; {@code depth} 0 is a stack's first frame. */
  static final class Node {
    private final String name;
    private final int depth;
    private long samples;
    private final Map<String, Node> children = new HashMap<>();

    private Node(String name, int depth) {
      this.name = name;
      this.depth = depth;
    }

    String name() {
      return name;
    }

    int depth() {
      return depth;
    }

    long samples() {
      return samples;
    }

    /** The frames this one called, by name. */
    List<Node> children() {
      List<Node> sorted = new ArrayList<>(children.values());
      sorted.sort(Comparator.comparing(Node::name));
      return sorted;
    }
  }

  private final Node root = new Node("all", -1);

  private StackTree() {}

  static StackTree of(Path collapsed) {
    StackTree tree = new StackTree();
    CollapsedStacks.read(collapsed, tree::add);
    return tree;
  }

  /** The stacks' common root ("all", depth -1), its samples the total. */
  Node root() {
    return root;
  }

  private void add(String[] frames, long samples) {
    Node node = root;
    node.samples += samples;
    for (int depth = 0; depth < frames.length; depth++) {
      int d = depth;
      node = node.children.computeIfAbsent(frames[depth], name -> new Node(name, d));
      node.samples += samples;
    }
  }
}
