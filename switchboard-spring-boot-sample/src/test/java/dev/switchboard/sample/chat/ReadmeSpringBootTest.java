package dev.switchboard.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README's Spring Boot section shows this sample as it is: each {@code java spring-boot} block is
 * an excerpt of the sample's sources, and each property of its {@code properties} blocks is one
 * the starter describes.
 */
class ReadmeSpringBootTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern PROPERTY = Pattern.compile("^(switchboard\\.[a-z-]+)=", Pattern.MULTILINE);

  private static List<String> blocks(String fence) throws IOException {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    int section = lines.indexOf("## Spring Boot");
    assertThat(section).as("README.md has a Spring Boot section").isPositive();
    List<String> blocks = new ArrayList<>();
    for (int i = section + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      if (lines.get(i).strip().equals(fence)) {
        StringBuilder block = new StringBuilder();
        while (!lines.get(++i).strip().equals("```")) {
          block.append(lines.get(i)).append('\n');
        }
        blocks.add(block.toString());
      }
    }
    return blocks;
  }

  @Test
  void theJavaBlocksAreExcerptsOfTheSample() throws IOException {
    String sources;
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      sources = files.filter(file -> file.toString().endsWith(".java")).map(ReadmeSpringBootTest::read)
          .collect(Collectors.joining("\n"));
    }
    List<String> blocks = blocks("```java spring-boot");
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
    for (String block : blocks) {
      assertThat(sources).as("README block, not found as such in the sample's sources:%n%s", block).contains(block);
    }
  }

  @Test
  void thePropertiesAreTheStartersOwn() throws IOException {
    String metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> blocks = blocks("```properties");
    assertThat(blocks).isNotEmpty();
    for (String block : blocks) {
      Matcher property = PROPERTY.matcher(block);
      while (property.find()) {
        assertThat(metadata).as("README property %s", property.group(1)).contains("\"name\": \"" + property.group(1) + "\"");
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
