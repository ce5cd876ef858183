package dev.switchboard.http.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON for Socket.IO payloads. Serialization turns every binary value (a {@code byte[]}, a
 * {@code ByteBuffer}, a {@code BinaryNode}, at any depth) into a {@code _placeholder} object and
 * collects the bytes as attachments, which is what makes a packet a binary one.
 */
public final class Json {
  /** Nesting deeper than this is refused by the parser (hostile input protection). */
  public static final int MAX_NESTING_DEPTH = 64;

  public static final ObjectMapper MAPPER = JsonMapper.builder(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
              .build())
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  /**
   * Parses trees as {@link #MAPPER} does, but resolves the tree type once: the mapper's
   * {@code readTree} resolves it on every call, 1.3% of the server's CPU in the closed-loop echo.
   */
  private static final ObjectReader TREE = MAPPER.reader();

  private Json() {}

  /** The JSON text of an argument array and the binary attachments taken out of it. */
  public record Encoded(byte[] json, List<byte[]> attachments) {
    public Encoded {
      attachments = attachments.isEmpty() ? List.of() : List.copyOf(attachments);
    }

    public boolean binary() {
      return !attachments.isEmpty();
    }
  }

  /** Encodes {@code [first?, args...]}; {@code first} (an event name) is skipped when null. */
  public static Encoded encodeArray(String first, Object[] args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    List<byte[]> attachments = new ArrayList<>(0);
    try (JsonGenerator gen = new PlaceholderGenerator(MAPPER.createGenerator(out), attachments)) {
      gen.writeStartArray();
      if (first != null) {
        gen.writeString(first);
      }
      for (Object arg : args) {
        write(gen, arg);
      }
      gen.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode as JSON: " + e.getMessage(), e);
    }
    return new Encoded(out.toByteArray(), attachments);
  }

  /**
   * Writes {@code value} as {@link #MAPPER} would. The values arguments are made of (strings,
   * numbers, booleans, JSON trees) go straight to the generator: through the mapper, each value
   * took a serializer provider of its own, a serializer lookup and a flush, several percent of the
   * server's CPU in a request/acknowledgement round trip. Others (maps, records, binary) take the
   * mapper.
   */
  private static void write(JsonGenerator gen, Object value) throws IOException {
    switch (value) {
      case null -> gen.writeNull();
      case String text -> gen.writeString(text);
      case Integer number -> gen.writeNumber(number);
      case Long number -> gen.writeNumber(number);
      case Boolean flag -> gen.writeBoolean(flag);
      case Double number -> gen.writeNumber(number);
      case JsonNode node -> writeTree(gen, node);
      default -> MAPPER.writeValue(gen, value);
    }
  }

  private static void writeTree(JsonGenerator gen, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        gen.writeStartObject();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          gen.writeFieldName(field.getKey());
          writeTree(gen, field.getValue());
        }
        gen.writeEndObject();
      }
      case ARRAY -> {
        gen.writeStartArray();
        for (JsonNode element : node) {
          writeTree(gen, element);
        }
        gen.writeEndArray();
      }
      case STRING -> gen.writeString(node.textValue());
      case BOOLEAN -> gen.writeBoolean(node.booleanValue());
      case NULL -> gen.writeNull();
      case NUMBER -> {
        switch (node.numberType()) {
          case INT -> gen.writeNumber(node.intValue());
          case LONG -> gen.writeNumber(node.longValue());
          case BIG_INTEGER -> gen.writeNumber(node.bigIntegerValue());
          case FLOAT -> gen.writeNumber(node.floatValue());
          case DOUBLE -> gen.writeNumber(node.doubleValue());
          case BIG_DECIMAL -> gen.writeNumber(node.decimalValue());
        }
      }
      // Binary (a placeholder), POJO and missing nodes: as the mapper writes them.
      default -> MAPPER.writeValue(gen, node);
    }
  }

  /** Encodes one value, binary values taken out as attachments. */
  public static Encoded encodeValue(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    List<byte[]> attachments = new ArrayList<>(0);
    try (JsonGenerator gen = new PlaceholderGenerator(MAPPER.createGenerator(out), attachments)) {
      write(gen, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode as JSON: " + e.getMessage(), e);
    }
    return new Encoded(out.toByteArray(), attachments);
  }

  public static String stringify(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode as JSON: " + e.getMessage(), e);
    }
  }

  public static JsonNode parse(String text) throws IOException {
    return TREE.readTree(text);
  }

  /** {@link #parse(String)} of UTF-8 bytes. */
  public static JsonNode parse(byte[] json) throws IOException {
    return TREE.readTree(json);
  }

  /** Parses a JSON array of arguments and puts {@code attachments} in place of its placeholders. */
  public static ArrayNode decodeArray(byte[] json, List<byte[]> attachments) throws IOException {
    JsonNode parsed = TREE.readTree(json);
    if (!(parsed instanceof ArrayNode array)) {
      throw new IOException("arguments are not an array");
    }
    reviveBinary(array, attachments);
    return array;
  }

  /** Replaces each {@code {"_placeholder":true,"num":n}} with the n-th attachment. */
  public static JsonNode reviveBinary(JsonNode node, List<byte[]> attachments) {
    if (node instanceof ObjectNode object) {
      JsonNode marker = object.get("_placeholder");
      if (marker != null && marker.isBoolean() && marker.booleanValue()) {
        JsonNode num = object.get("num");
        if (num == null || !num.canConvertToInt() || num.intValue() < 0 || num.intValue() >= attachments.size()) {
          throw new PayloadException("illegal attachment placeholder");
        }
        return BinaryNode.valueOf(attachments.get(num.intValue()));
      }
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(reviveBinary(field.getValue(), attachments));
      }
      return object;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, reviveBinary(array.get(i), attachments));
      }
    }
    return node;
  }


  /** Writes binary values as placeholders instead of base64 strings. */
  private static final class PlaceholderGenerator extends JsonGeneratorDelegate {
    private final List<byte[]> attachments;

    PlaceholderGenerator(JsonGenerator delegate, List<byte[]> attachments) {
      super(delegate, false);
      this.attachments = attachments;
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
      byte[] copy = offset == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, offset, offset + len);
      writePlaceholder(copy);
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws IOException {
      byte[] bytes = dataLength < 0 ? data.readAllBytes() : data.readNBytes(dataLength);
      writePlaceholder(bytes);
      return bytes.length;
    }

    private void writePlaceholder(byte[] bytes) throws IOException {
      int num = attachments.size();
      attachments.add(bytes);
      delegate.writeStartObject();
      delegate.writeBooleanField("_placeholder", true);
      delegate.writeNumberField("num", num);
      delegate.writeEndObject();
    }
  }
}
