package dev.switchboard.admin;

/** What the Admin UI is sent. */
public enum AdminMode {
  /** Server stats and every socket, room and event live: a message to the UI per socket event. */
  DEVELOPMENT,
  /** Server stats only (counts per node and per namespace, aggregated traffic): nothing per socket. */
  PRODUCTION
}
