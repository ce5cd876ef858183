package dev.switchboard.bench.client;

import static dev.switchboard.bench.client.WebSocketReaderTest.concat;
import static dev.switchboard.bench.client.WebSocketReaderTest.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The upgrade and what follows it, over an embedded channel playing the server. */
class SioConnectionTest {
  private static final int FIN = 0x80;
  private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: (\\S+)\r\n");

  private final List<String> events = new ArrayList<>();
  private final SioConnection connection = new SioConnection(0, new SioListener() {
    @Override
    public void onEvent(SioConnection connection, String packet) {
      events.add(packet);
    }

    @Override
    public void onAck(SioConnection connection, long ackId, String packet) {
      events.add(ackId + ":" + packet);
    }
  }, false);
  private final EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(8192),
      new WebSocketUpgrade("127.0.0.1:1", "/socket.io/?EIO=4&transport=websocket"), connection);

  @Test
  void shouldReadTheOpenPacketSentInTheSameSegmentAsThe101() {
    String request = outbound();
    assertThat(request).startsWith("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n");
    channel.writeInbound(Unpooled.wrappedBuffer(concat(switchingProtocols(request),
        frame(FIN | 0x1, "0{\"sid\":\"s\",\"pingInterval\":25000}"))));

    assertThat(channel.pipeline().names()).containsExactly("SioConnection#0", "DefaultChannelPipeline$TailContext#0");
    assertThat(outbound()).isEqualTo(masked("40"));
    assertThat(connection.connected()).isNotDone();

    channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(FIN | 0x1, "40{\"sid\":\"x\"}"), frame(FIN | 0x1, "2"))));
    assertThat(connection.connected()).isCompletedWithValue(connection);
    assertThat(connection.isOpen()).isTrue();
    assertThat(connection.pings()).isEqualTo(1);
    assertThat(outbound()).isEqualTo(masked("3"));
  }

  @Test
  void shouldHandEventsAndAcksToTheListenerAndAnswerPings() {
    channel.writeInbound(Unpooled.wrappedBuffer(switchingProtocols(outbound())));
    assertThat(channel.pipeline().names()).hasSize(2);
    byte[] stream = concat(frame(FIN | 0x1, "40{}"), frame(FIN | 0x9, "ab"), frame(FIN | 0x1, "42[\"m\",{\"t\":1}]"),
        frame(FIN | 0x1, "4312[\"ok\"]"));
    channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, 7));
    channel.writeInbound(Unpooled.wrappedBuffer(stream, 7, stream.length - 7));

    assertThat(events).containsExactly("42[\"m\",{\"t\":1}]", "12:4312[\"ok\"]");
    assertThat(outbound()).isEqualTo("8a8200000000" + ByteBufUtil.hexDump("ab".getBytes(StandardCharsets.US_ASCII)));
    connection.emitWithAck("echo", "1");
    assertThat(outbound()).isEqualTo(masked("420[\"echo\",1]"));
  }

  @Test
  void shouldFailToConnectWhenTheUpgradeIsRefused() {
    outbound();
    channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n",
        StandardCharsets.US_ASCII));
    assertThat(connection.connected()).isCompletedExceptionally();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void shouldFailToConnectOnAWrongAccept() {
    outbound();
    channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
        + "connection: Upgrade\r\nsec-websocket-accept: bm9wZQ==\r\n\r\n", StandardCharsets.US_ASCII));
    assertThat(connection.connected()).isCompletedExceptionally();
    assertThat(channel.isOpen()).isFalse();
  }

  private static byte[] switchingProtocols(String request) {
    Matcher key = KEY.matcher(request);
    assertThat(key.find()).isTrue();
    return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + WebSocketUpgrade.expectedAccept(key.group(1)) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** What a client frame of {@code text} looks like on the wire, in hex. */
  private static String masked(String text) {
    return "81" + String.format("%02x", 0x80 | text.length()) + "00000000"
        + ByteBufUtil.hexDump(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything written so far: the request as text before the upgrade, frames in hex after it. */
  private String outbound() {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
      all.writeBytes(part);
      part.release();
    }
    try {
      return all.getByte(0) == 'G' ? all.toString(StandardCharsets.US_ASCII) : ByteBufUtil.hexDump(all);
    } finally {
      all.release();
    }
  }
}
