package dev.switchboard.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GlobsTest {
  private static final List<String> GLOBS = List.of("*", "", "chat", "chat:*", "*:admin", "chat:*:typing", "a*b*c",
      "**", "*.*", "x.y", "[a]*", "ü*", "*$");

  @Test
  void commonShapesMatchWithoutARegex() {
    assertThat(Globs.matcher("*").test("")).isTrue();
    assertThat(Globs.matcher("chat:*").test("chat:")).isTrue();
    assertThat(Globs.matcher("chat:*").test("chat")).isFalse();
    assertThat(Globs.matcher("*:admin").test("team:admin")).isTrue();
    assertThat(Globs.matcher("*:admin").test("team:admins")).isFalse();
    assertThat(Globs.matcher("x.y").test("xzy")).isFalse();
    assertThat(Globs.matcher("chat:*").test("chat:\nline")).isTrue();
  }

  @Test
  void everyShapeAgreesWithThePattern() {
    Random random = new Random(7);
    String alphabet = "chat:*.ayb$\n[]ü";
    for (String glob : GLOBS) {
      Pattern pattern = Globs.pattern(glob);
      Predicate<String> matcher = Globs.matcher(glob);
      for (int i = 0; i < 2_000; i++) {
        String name = i % 2 == 0 ? randomName(random, alphabet) : mutate(random, glob.replace("*", "ab"));
        assertThat(matcher.test(name)).as("%s ~ %s", glob, name).isEqualTo(pattern.matcher(name).matches());
      }
    }
  }

  private static String randomName(Random random, String alphabet) {
    StringBuilder name = new StringBuilder();
    for (int n = random.nextInt(12); n > 0; n--) {
      name.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return name.toString();
  }

  /** {@code name} (a match) with a character dropped, added or changed now and then. */
  private static String mutate(Random random, String name) {
    StringBuilder mutated = new StringBuilder(name);
    switch (random.nextInt(4)) {
      case 0 -> { }
      case 1 -> mutated.insert(random.nextInt(mutated.length() + 1), 'q');
      case 2 -> { if (!mutated.isEmpty()) { mutated.deleteCharAt(random.nextInt(mutated.length())); } }
      default -> { if (!mutated.isEmpty()) { mutated.setCharAt(random.nextInt(mutated.length()), ':'); } }
    }
    return mutated.toString();
  }
}
