package dev.switchboard.sample.chat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The rooms' messages and the users' visits, over plain (blocking) JDBC. */
@Repository
public class MessageRepository {
  private final JdbcTemplate jdbc;

  public MessageRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public Message save(String room, String author, String text) {
    Instant now = Instant.now();
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(connection -> {
      var insert = connection.prepareStatement("INSERT INTO message (room, author, text, sent_at) VALUES (?, ?, ?, ?)",
          new String[] {"id"});
      insert.setString(1, room);
      insert.setString(2, author);
      insert.setString(3, text);
      insert.setTimestamp(4, Timestamp.from(now));
      return insert;
    }, key);
    return new Message(key.getKey().longValue(), room, author, text, now);
  }

  /** The last {@code limit} messages of {@code room}, oldest first. */
  public List<Message> recent(String room, int limit) {
    return jdbc.query("SELECT * FROM (SELECT * FROM message WHERE room = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        MessageRepository::message, room, limit);
  }

  public Optional<Message> find(long id) {
    return jdbc.query("SELECT * FROM message WHERE id = ?", MessageRepository::message, id).stream().findFirst();
  }

  public Message updateText(Message message, String text) {
    jdbc.update("UPDATE message SET text = ? WHERE id = ?", text, message.id());
    return new Message(message.id(), message.room(), message.author(), text, message.sentAt());
  }

  public void visitStarted(String socketId, String author) {
    jdbc.update("INSERT INTO visit (socket_id, author, started_at) VALUES (?, ?, ?)", socketId, author, Timestamp.from(Instant.now()));
  }

  public void visitEnded(String socketId, String reason) {
    jdbc.update("UPDATE visit SET ended_at = ?, end_reason = ? WHERE socket_id = ?", Timestamp.from(Instant.now()), reason, socketId);
  }

  private static Message message(ResultSet row, int index) throws SQLException {
    return new Message(row.getLong("id"), row.getString("room"), row.getString("author"), row.getString("text"),
        row.getTimestamp("sent_at").toInstant());
  }
}
