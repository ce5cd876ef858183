package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/** Decides whether a client may create a dynamic namespace called {@code name}. */
@FunctionalInterface
public interface NamespaceMatcher {
  boolean matches(String name, JsonNode auth);
}
