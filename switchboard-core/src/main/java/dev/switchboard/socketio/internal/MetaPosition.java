package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.history.StreamPosition;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A kept message's position written into its last argument: when that argument is a JSON object
 * (a {@code Map} or an {@code ObjectNode}), a copy of it gets the field {@code position}. The
 * caller's arguments are never changed.
 */
final class MetaPosition {
  static final String FIELD = "position";

  private MetaPosition() {}

  /** {@code args} with the position in a copy of the last argument; {@code args} itself when that is no object. */
  static Object[] added(Object[] args, StreamPosition position) {
    if (args.length == 0) {
      return args;
    }
    Object last = args[args.length - 1];
    Object withPosition;
    if (last instanceof ObjectNode object) {
      withPosition = object.deepCopy().put(FIELD, position.toString());
    } else if (last instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>(map);
      copy.put(FIELD, position.toString());
      withPosition = copy;
    } else {
      return args;
    }
    Object[] copy = Arrays.copyOf(args, args.length);
    copy[args.length - 1] = withPosition;
    return copy;
  }
}
