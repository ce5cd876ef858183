package dev.switchboard.cluster;

import java.util.List;

/**
 * Where the answers to a message sent to other nodes go: each node that got it reports once how
 * many answers it will give, then gives them one by one (in any order relative to the report).
 * Called from any thread.
 */
public interface ClusterAcks {
  /** One node reached {@code answers} recipients that may answer (sockets, or a node's listeners). */
  void reached(int answers);

  /**
   * One answer.
   *
   * @param argsJson the answer's arguments as a JSON array, binary values replaced by attachment placeholders
   * @param attachments the binary values, in placeholder order
   */
  void answer(byte[] argsJson, List<byte[]> attachments);
}
