package dev.switchboard.sample.chat;

import java.time.Instant;

/**
 * A message of a room, as stored and as sent to the room's members.
 *
 * @param id the message id, increasing
 * @param room the room it was sent to
 * @param author the user who sent it (the token's {@code sub})
 * @param text what it says
 * @param sentAt when the server stored it
 */
public record Message(long id, String room, String author, String text, Instant sentAt) {}
