package dev.switchboard.sse.internal;

import dev.switchboard.http.internal.RequestTimeouts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;

/** The head of an event-stream response. */
final class SseResponses {
  static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

  private SseResponses() {}

  /**
   * 200 with the headers that keep every hop from buffering: chunked for HTTP/1.1,
   * close-delimited for HTTP/1.0. {@code cors} may be null.
   */
  static HttpResponse head(HttpVersion requestVersion, HttpHeaders cors) {
    boolean http10 = requestVersion.equals(HttpVersion.HTTP_1_0);
    HttpResponse response = new DefaultHttpResponse(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpHeaders headers = response.headers();
    headers.add(cors);
    headers.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
        .set("X-Accel-Buffering", "no");
    if (!http10) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return response;
  }

  /**
   * Writes {@code head} (not flushed) through the connection's HTTP codec, then takes the codec
   * out of the pipeline: the body leaves as bytes the stream frames itself. Call on the
   * connection's event loop, with {@link SseInboundGuard} installed: the codec's decoder goes too,
   * handing on what it held of a next request, and whatever the client sends from then on reaches
   * the guard as bytes, which it drops as it did requests. With no outbound handler left, writes
   * may skip the pipeline.
   */
  static void writeHead(Channel channel, HttpResponse head) {
    channel.write(head, channel.voidPromise());
    ChannelPipeline pipeline = channel.pipeline();
    RequestTimeouts.stop(pipeline);
    if (pipeline.get(HttpServerCodec.class) != null) {
      pipeline.remove(HttpServerCodec.class);
    }
    if (pipeline.get(HttpResponseEncoder.class) != null) {
      pipeline.remove(HttpResponseEncoder.class);
    }
  }
}
