package dev.switchboard.server.chat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A model behind an HTTP streaming API, called with the JDK's asynchronous HTTP client: no
 * thread waits on the upstream, and the answer is parsed as its lines arrive.
 */
final class UpstreamModel implements ChatModel {
  private final UpstreamProtocol protocol;
  private final HttpClient client;

  UpstreamModel(UpstreamProtocol protocol) {
    this.protocol = protocol;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public ChatCall stream(ChatRequest request, ChatSink sink) {
    OnceSink once = new OnceSink(sink);
    UpstreamLines lines = new UpstreamLines(protocol, once);
    HttpResponse.BodyHandler<Void> handler = info -> {
      if (info.statusCode() / 100 == 2) {
        return BodySubscribers.fromLineSubscriber(lines);
      }
      return BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), body -> {
        once.error(UpstreamErrors.UPSTREAM_ERROR, protocol.httpError(info.statusCode(), body));
        return null;
      });
    };
    CompletableFuture<HttpResponse<Void>> call = client.sendAsync(protocol.request(request), handler);
    call.whenComplete((response, failure) -> {
      if (failure != null) {
        once.error(UpstreamErrors.UPSTREAM_UNAVAILABLE, protocol.name() + " cannot be reached: " + UpstreamErrors.transport(failure));
      }
    });
    return () -> {
      once.cancel();
      lines.cancel();
      call.cancel(true);
    };
  }

  @Override
  public void close() {
    client.shutdownNow();
  }
}
