package dev.switchboard.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#encodeArray} writes strings, numbers, booleans and JSON trees straight to the
 * generator: byte for byte what the mapper writes, on thousands of random values of every kind.
 */
class JsonEncodeTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] TEXTS = {"", "a", "é", "日本", "\uD83D\uDE00", "\"quoted\"", "back\\slash", "line\nbreak",
      "\u0000\u001f\u007f", "</script>", "tab\there"};

  @Test
  void encodesEveryKindOfValueAsTheMapperDoes() throws Exception {
    Random random = new Random(19);
    for (int round = 0; round < 5_000; round++) {
      Object[] args = new Object[random.nextInt(4)];
      for (int i = 0; i < args.length; i++) {
        args[i] = random.nextInt(3) == 0 ? plainValue(random) : tree(random, 0);
      }
      List<Object> all = new ArrayList<>();
      all.add("event");
      all.addAll(Arrays.asList(args));

      Json.Encoded encoded = Json.encodeArray("event", args);

      assertThat(new String(encoded.json(), StandardCharsets.UTF_8)).as("round %d", round)
          .isEqualTo(new String(Json.MAPPER.writeValueAsBytes(all), StandardCharsets.UTF_8));
      assertThat(encoded.attachments()).isEmpty();
    }
  }

  @Test
  void binaryValuesInTreesBecomePlaceholders() {
    ObjectNode object = NODES.objectNode();
    object.put("name", "file");
    object.put("bytes", new byte[] {1, 2, 3});
    ArrayNode list = object.putArray("more");
    list.add(new byte[] {4});

    Json.Encoded encoded = Json.encodeArray(null, new Object[] {object, new byte[] {5, 6}});

    assertThat(new String(encoded.json(), StandardCharsets.UTF_8)).isEqualTo(
        "[{\"name\":\"file\",\"bytes\":{\"_placeholder\":true,\"num\":0},\"more\":[{\"_placeholder\":true,\"num\":1}]},"
            + "{\"_placeholder\":true,\"num\":2}]");
    assertThat(encoded.attachments()).containsExactly(new byte[] {1, 2, 3}, new byte[] {4}, new byte[] {5, 6});
  }

  private static Object plainValue(Random random) {
    return switch (random.nextInt(9)) {
      case 0 -> null;
      case 1 -> TEXTS[random.nextInt(TEXTS.length)];
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> random.nextBoolean();
      case 5 -> aDouble(random);
      case 6 -> Map.of("k", random.nextInt(), "t", TEXTS[random.nextInt(TEXTS.length)]);
      case 7 -> List.of(random.nextInt(), "x");
      default -> 1.5f;
    };
  }

  private static double aDouble(Random random) {
    double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e300, 4.9e-324, 0.1};
    return random.nextBoolean() ? special[random.nextInt(special.length)] : random.nextGaussian() * 1e6;
  }

  private static JsonNode tree(Random random, int depth) {
    int kind = random.nextInt(depth >= 4 ? 11 : 13);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.textNode(TEXTS[random.nextInt(TEXTS.length)]);
      case 3 -> NODES.numberNode(random.nextInt());
      case 4 -> NODES.numberNode(random.nextLong());
      case 5 -> NODES.numberNode(new BigInteger(130, random));
      case 6 -> NODES.numberNode(random.nextFloat());
      case 7 -> NODES.numberNode(aDouble(random));
      case 8 -> NODES.numberNode(new BigDecimal(new BigInteger(70, random), random.nextInt(40) - 20));
      case 9 -> NODES.numberNode((short) random.nextInt());
      case 10 -> NODES.textNode(Integer.toString(random.nextInt()));
      case 11 -> {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          object.set(TEXTS[random.nextInt(TEXTS.length)] + i, tree(random, depth + 1));
        }
        yield object;
      }
      default -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(tree(random, depth + 1));
        }
        yield array;
      }
    };
  }
}
