package dev.switchboard.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, recording what it reports so a test can fail on it. The build installs
 * it with {@code -Dio.netty.customResourceLeakDetector}; {@link #leaks()} is empty otherwise.
 */
public final class LeakRecorder<T> extends ResourceLeakDetector<T> {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  public LeakRecorder(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    installed = true;
  }

  public LeakRecorder(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add("LEAK: " + resourceType + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add("LEAK: " + resourceType);
    super.reportUntracedLeak(resourceType);
  }

  public static boolean installed() {
    return installed;
  }

  /**
   * Collects garbage and lets the detectors look at what was collected, then returns every leak
   * reported so far in this JVM.
   */
  public static List<String> leaks() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 200; i++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        pooled.release();
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        unpooled.release();
      }
    }
    return new ArrayList<>(LEAKS);
  }
}
