package dev.switchboard.admin.internal;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.switchboard.admin.AdminAuth;
import dev.switchboard.admin.AdminSessions;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin namespace's middleware: admits a handshake whose {@code auth} carries a live
 * {@code sessionId}, or the configured {@code username} and a {@code password} matching the
 * bcrypt hash (then a new session is made and sent as {@code session} once connected); refuses any
 * other with exactly {@code invalid credentials}, the message the UI answers with its login form.
 * bcrypt is slow on purpose: it runs on a thread of its own with a short queue, never on an event loop.
 */
public final class AdminLogin implements Middleware, AutoCloseable {
  public static final String INVALID_CREDENTIALS = "invalid credentials";
  private static final Logger log = LoggerFactory.getLogger(AdminLogin.class);
  private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AdminAuth.Basic auth;
  private final AdminSessions sessions;
  /** Sessions made by a login, by socket id, until the socket connects and is told. */
  private final ConcurrentHashMap<String, String> made = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor checks = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), runnable -> {
    Thread thread = new Thread(runnable, "switchboard-admin-login");
    thread.setDaemon(true);
    return thread;
  });

  public AdminLogin(AdminAuth.Basic auth, AdminSessions sessions) {
    this.auth = auth;
    this.sessions = sessions;
  }

  @Override
  public void handle(Socket socket, Next next) {
    Optional<String> sessionId = socket.handshake().authField("sessionId").filter(id -> SESSION_ID.matcher(id).matches());
    CompletableFuture<Boolean> known = sessionId
        .map(id -> sessions.exists(id).toCompletableFuture().exceptionally(error -> {
          log.warn("admin session store did not answer: {}", error.toString());
          return false;
        }))
        .orElseGet(() -> CompletableFuture.completedFuture(false));
    known.thenAccept(valid -> {
      if (valid) {
        next.proceed();
      } else {
        checkPassword(socket, next);
      }
    });
  }

  private void checkPassword(Socket socket, Next next) {
    Optional<String> username = socket.handshake().authField("username");
    Optional<String> password = socket.handshake().authField("password");
    if (username.isEmpty() || password.isEmpty()) {
      next.fail(INVALID_CREDENTIALS);
      return;
    }
    try {
      checks.execute(() -> {
        if (matches(username.get(), password.get())) {
          String id = HexFormat.of().formatHex(randomBytes());
          sessions.save(id).whenComplete((saved, error) -> {
            if (error != null) {
              log.warn("admin session store did not keep a session: {}", error.toString());
            } else {
              made.put(socket.id(), id);
            }
            next.proceed();
          });
        } else {
          log.info("admin login refused from {}", socket.handshake().address());
          next.fail(INVALID_CREDENTIALS);
        }
      });
    } catch (RejectedExecutionException e) {
      next.fail(INVALID_CREDENTIALS);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private boolean matches(String username, String password) {
    boolean sameUser = MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8), auth.username().getBytes(StandardCharsets.UTF_8));
    boolean samePassword;
    try {
      samePassword = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), auth.passwordHash().getBytes(StandardCharsets.UTF_8)).verified;
    } catch (IllegalArgumentException e) {
      samePassword = false;
    }
    return sameUser && samePassword;
  }

  /** The session a login made for {@code socketId}, once: the caller sends it to the UI. */
  public Optional<String> takeSession(String socketId) {
    return Optional.ofNullable(made.remove(socketId));
  }

  /** Forgets what was kept for a socket that never connected. */
  public void forget(String socketId) {
    made.remove(socketId);
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
