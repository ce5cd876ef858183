package dev.switchboard.server.ops;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin credentials of {@code --admin-username} and {@code --admin-password-hash}, or none
 * with {@code --admin-auth none}. A bcrypt check takes tens of milliseconds on purpose, so it runs
 * on a thread of its own, never on an event loop, with a short queue: a flood of guesses waits
 * there or is turned away, it never slows the clients. A pair that passed is remembered (as its
 * SHA-256) for {@link #REMEMBERED}, so that a page's requests and its stream's reconnections pay
 * for bcrypt once.
 */
public final class AdminCredentials implements AutoCloseable {
  /** How long a pair that passed the bcrypt check is taken without another. */
  static final Duration REMEMBERED = Duration.ofMinutes(10);
  /** Most pairs remembered; past it the memory starts over. */
  private static final int MAX_REMEMBERED = 64;
  /** Checks that may wait for the checking thread; more are refused as busy. */
  private static final int MAX_WAITING = 32;

  /** Empty when anyone is accepted. */
  private final Optional<char[]> passwordHash;
  private final byte[] username;
  private final ConcurrentHashMap<String, Long> passed = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor checks;

  /** A user name and password as an HTTP Basic {@code Authorization} header carries them. */
  public record Basic(String username, String password) {
    @Override
    public String toString() {
      return "Basic[username=" + username + "]";
    }
  }

  /** What a check found. */
  public enum Outcome {
    /** The credentials are the admin's (or none are needed). */
    ACCEPTED,
    /** Missing or wrong credentials. */
    REFUSED,
    /** Too many checks waiting: try again. */
    BUSY
  }

  private AdminCredentials(String username, Optional<char[]> passwordHash) {
    this.passwordHash = passwordHash;
    this.username = username.getBytes(StandardCharsets.UTF_8);
    this.checks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_WAITING), runnable -> {
      Thread thread = new Thread(runnable, "switchboard-admin-auth");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Accepts {@code username} with the password whose bcrypt hash is {@code passwordHash} ({@code --admin-auth basic}). */
  public static AdminCredentials basic(String username, String passwordHash) {
    return new AdminCredentials(Objects.requireNonNull(username, "username"),
        Optional.of(Objects.requireNonNull(passwordHash, "passwordHash").toCharArray()));
  }

  /** Accepts anyone ({@code --admin-auth none}). */
  public static AdminCredentials anyone() {
    return new AdminCredentials("", Optional.empty());
  }

  /** Whether anyone is accepted ({@code --admin-auth none}). */
  public boolean open() {
    return passwordHash.isEmpty();
  }

  /** The user name and password of an {@code Authorization: Basic ...} header value; empty when it is not one. */
  public static Optional<Basic> parseBasic(String header) {
    String value = header.trim();
    if (value.length() < 6 || !value.substring(0, 6).equalsIgnoreCase("basic ")) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? Optional.empty() : Optional.of(new Basic(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  /** Checks the {@code Authorization} header of a request, if it has one; completes on the checking thread or at once. */
  public CompletableFuture<Outcome> checkHeader(Optional<String> authorization) {
    if (open()) {
      return CompletableFuture.completedFuture(Outcome.ACCEPTED);
    }
    Optional<Basic> basic = authorization.flatMap(AdminCredentials::parseBasic);
    return basic.isEmpty() ? CompletableFuture.completedFuture(Outcome.REFUSED) : check(basic.get().username(), basic.get().password());
  }

  /** Checks a user name and password; completes on the checking thread, or at once for a pair that passed lately. */
  public CompletableFuture<Outcome> check(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (open()) {
      return CompletableFuture.completedFuture(Outcome.ACCEPTED);
    }
    String key = digest(user, password);
    Long until = passed.get(key);
    if (until != null && until - System.nanoTime() > 0) {
      return CompletableFuture.completedFuture(Outcome.ACCEPTED);
    }
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    try {
      checks.execute(() -> outcome.complete(verify(user, password, key) ? Outcome.ACCEPTED : Outcome.REFUSED));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      outcome.complete(Outcome.BUSY);
    }
    return outcome;
  }

  private boolean verify(String user, String password, String key) {
    // Both parts are always checked, so the time taken does not tell which one was wrong.
    boolean name = MessageDigest.isEqual(username, user.getBytes(StandardCharsets.UTF_8));
    boolean secret = BCrypt.verifyer().verify(password.toCharArray(), passwordHash.orElseThrow()).verified;
    if (name && secret) {
      if (passed.size() >= MAX_REMEMBERED) {
        passed.clear();
      }
      passed.put(key, System.nanoTime() + REMEMBERED.toNanos());
      return true;
    }
    return false;
  }

  private static String digest(String user, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  @Override
  public void close() {
    checks.shutdownNow();
    passed.clear();
  }
}
