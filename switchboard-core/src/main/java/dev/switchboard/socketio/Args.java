package dev.switchboard.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.http.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an event or an acknowledgement, as JSON trees; binary values are
 * {@code BinaryNode}s. Convert with {@link #get(int, Class)} to any type Jackson can bind.
 */
public final class Args {
  private final ArrayNode values;
  private final int offset;

  /** Wraps {@code values[offset..]}. */
  public Args(ArrayNode values, int offset) {
    this.values = values;
    this.offset = offset;
  }

  public static Args of(ArrayNode values) {
    return new Args(values, 0);
  }

  public int size() {
    return Math.max(0, values.size() - offset);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** The i-th argument as a tree, or a missing node when absent. */
  public JsonNode get(int index) {
    JsonNode node = index < size() ? values.get(offset + index) : null;
    return node == null ? MissingNode.getInstance() : node;
  }

  /** The i-th argument converted to {@code type}; {@link ArgumentException} when absent or of another shape. */
  public <T> T get(int index, Class<T> type) {
    JsonNode node = get(index);
    if (node.isMissingNode()) {
      throw new ArgumentException("no argument at index " + index + " (there are " + size() + ")", null);
    }
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new ArgumentException("argument " + index + " is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The i-th argument as text, or null when absent or not a string. */
  public String text(int index) {
    JsonNode node = get(index);
    return node.isTextual() ? node.textValue() : null;
  }

  /** The i-th argument as bytes, or null when absent or not binary. */
  public byte[] bytes(int index) {
    JsonNode node = get(index);
    return node.isBinary() ? ((com.fasterxml.jackson.databind.node.BinaryNode) node).binaryValue() : null;
  }

  public List<JsonNode> asList() {
    List<JsonNode> list = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      list.add(values.get(offset + i));
    }
    return list;
  }

  /** The arguments as an array, to pass on unchanged (binary values stay binary). */
  public Object[] toArray() {
    return asList().toArray();
  }

  @Override
  public String toString() {
    return asList().toString();
  }
}
