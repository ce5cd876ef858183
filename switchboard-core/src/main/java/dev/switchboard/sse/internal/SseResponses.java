package dev.switchboard.sse.internal;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
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
    if (cors != null) {
      headers.set(cors);
    }
    headers.set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
        .set("X-Accel-Buffering", "no");
    if (!http10) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return response;
  }
}
