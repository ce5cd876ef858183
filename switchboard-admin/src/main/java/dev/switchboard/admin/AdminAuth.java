package dev.switchboard.admin;

import java.util.Objects;
import java.util.regex.Pattern;

/** How the Admin UI logs in: not at all, or with a user name and a password checked against a bcrypt hash. */
public sealed interface AdminAuth {
  /** No login: anyone who reaches the admin namespace is admitted. */
  static AdminAuth none() {
    return new None();
  }

  /**
   * A login with {@code username} and the password whose bcrypt hash ({@code $2a$} or {@code $2b$})
   * is {@code passwordHash}; refused with {@link IllegalArgumentException} when it is no such hash.
   */
  static AdminAuth basic(String username, String passwordHash) {
    return new Basic(username, passwordHash);
  }

  /** No login. */
  record None() implements AdminAuth {}

  /** A user name and a bcrypt password hash. */
  record Basic(String username, String passwordHash) implements AdminAuth {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[ab]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(passwordHash, "passwordHash");
      if (!BCRYPT.matcher(passwordHash).matches()) {
        throw new IllegalArgumentException("the admin password hash must be a bcrypt hash ($2a$ or $2b$, cost 04 to 31, 60 characters)");
      }
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", passwordHash=(hidden)]";
    }
  }
}
