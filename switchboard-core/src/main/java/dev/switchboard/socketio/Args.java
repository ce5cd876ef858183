package dev.switchboard.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.http.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
      throw new ArgumentException("no argument at index " + index + " (there are " + size() + ")");
    }
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new ArgumentException("argument " + index + " is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The i-th argument as text; {@link ArgumentException} when absent or not a string (see {@link #findText}). */
  public String text(int index) {
    return findText(index).orElseThrow(() -> new ArgumentException(describe(index, "a string")));
  }

  /** The i-th argument as text, or empty when absent or not a string. */
  public Optional<String> findText(int index) {
    JsonNode node = get(index);
    return node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
  }

  /** The i-th argument as bytes; {@link ArgumentException} when absent or not binary (see {@link #findBytes}). */
  public byte[] bytes(int index) {
    return findBytes(index).orElseThrow(() -> new ArgumentException(describe(index, "binary")));
  }

  /** The i-th argument as bytes, or empty when absent or not binary. */
  public Optional<byte[]> findBytes(int index) {
    JsonNode node = get(index);
    return node.isBinary() ? Optional.of(((BinaryNode) node).binaryValue()) : Optional.empty();
  }

  private String describe(int index, String expected) {
    return index < size() ? "argument " + index + " is not " + expected
        : "no argument at index " + index + " (there are " + size() + ")";
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
