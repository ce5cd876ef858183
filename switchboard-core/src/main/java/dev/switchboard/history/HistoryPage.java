package dev.switchboard.history;

import java.util.List;

/**
 * The answer to a history query.
 *
 * @param entries the messages after the asked position, oldest first, at most the asked limit
 * @param head the position of the newest message in the stream (offset 0 before the first)
 * @param gap true when messages after the asked position are no longer kept (trimmed, expired,
 *     or the epoch changed): the caller has lost messages and must be told so
 * @param more true when the limit cut the page short
 */
public record HistoryPage(List<HistoryEntry> entries, StreamPosition head, boolean gap, boolean more) {}
