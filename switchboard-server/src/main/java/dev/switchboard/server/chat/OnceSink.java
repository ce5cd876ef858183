package dev.switchboard.server.chat;

import java.util.concurrent.atomic.AtomicBoolean;

/** Guards a sink: nothing after the first {@code done}/{@code error}, nothing after cancel. */
final class OnceSink implements ChatSink {
  private final ChatSink target;
  private final AtomicBoolean over = new AtomicBoolean();

  OnceSink(ChatSink target) {
    this.target = target;
  }

  @Override
  public void text(String text) {
    if (!over.get()) {
      target.text(text);
    }
  }

  @Override
  public void done() {
    if (over.compareAndSet(false, true)) {
      target.done();
    }
  }

  @Override
  public void error(String code, String message) {
    if (over.compareAndSet(false, true)) {
      target.error(code, message);
    }
  }

  /** Silences the sink for good. */
  void cancel() {
    over.set(true);
  }
}
