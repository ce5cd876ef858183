package dev.switchboard.server.chat;

import dev.switchboard.sse.SseParser;
import java.util.concurrent.Flow;

/**
 * Reads the upstream answer line by line as it arrives and feeds its events to the protocol.
 * Cancelling drops the subscription, which makes the HTTP client close the upstream connection.
 */
final class UpstreamLines implements Flow.Subscriber<String> {
  private final UpstreamProtocol protocol;
  private final ChatSink sink;
  private final SseParser parser;
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;
  private boolean over;

  UpstreamLines(UpstreamProtocol protocol, ChatSink sink) {
    this.protocol = protocol;
    this.sink = sink;
    this.parser = new SseParser((id, event, data) -> event(event, data));
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (cancelled) {
      subscription.cancel();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    if (!over) {
      parser.line(line);
    }
  }

  private void event(String name, String data) {
    if (!over && protocol.event(name, data, sink)) {
      over = true;
    }
  }

  @Override
  public void onError(Throwable failure) {
    if (!over) {
      over = true;
      sink.error(UpstreamErrors.UPSTREAM_UNAVAILABLE, protocol.name() + " connection failed: " + UpstreamErrors.transport(failure));
    }
  }

  @Override
  public void onComplete() {
    parser.end();
    if (!over) {
      over = true;
      sink.error(UpstreamErrors.UPSTREAM_ERROR, protocol.name() + " ended the answer before its end marker");
    }
  }

  void cancel() {
    cancelled = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }
}
