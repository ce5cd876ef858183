package dev.switchboard.redis;

import java.security.SecureRandom;

/** New history epochs: 8 random letters and digits, unlikely to repeat for a room. */
final class Epochs {
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Epochs() {}

  static String next() {
    char[] epoch = new char[8];
    for (int i = 0; i < epoch.length; i++) {
      epoch[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(epoch);
  }
}
