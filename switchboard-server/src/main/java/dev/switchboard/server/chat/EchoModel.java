package dev.switchboard.server.chat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The offline model: streams the last user message back word by word, one word per delay. */
public final class EchoModel implements ChatModel {
  private final Executor delayed;

  public EchoModel(Duration delay) {
    this.delayed = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public ChatCall stream(ChatRequest request, ChatSink sink) {
    String[] words = request.lastUserText().trim().split("\\s+");
    AtomicBoolean cancelled = new AtomicBoolean();
    emit(words, 0, sink, cancelled);
    return () -> cancelled.set(true);
  }

  private void emit(String[] words, int index, ChatSink sink, AtomicBoolean cancelled) {
    delayed.execute(() -> {
      if (cancelled.get()) {
        return;
      }
      if (index == words.length) {
        sink.done();
        return;
      }
      sink.text(index == 0 ? words[0] : " " + words[index]);
      emit(words, index + 1, sink, cancelled);
    });
  }
}
