package dev.switchboard.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class FlameGraphTest {
  private static final String RUN = "[main tid=1];java/lang/Thread.run;";
  private static final String LONG_NATIVE = "__libc_send_through_a_long_native_symbol_name";

  @TempDir
  Path dir;

  /** 10,000 samples: 0.1% is 10 samples. */
  private Path synthetic() throws Exception {
    List<String> lines = new ArrayList<>(List.of(
        RUN + "dev/x/A.work 5995",
        RUN + "dev/x/B.<init>&<T> 3000",
        RUN + LONG_NATIVE + ";tcp_sendmsg_[k] 900",
        "[GC Thread#0 tid=2];GCTask::do_it 20",
        "[lonely tid=3];x 5",
        ""));
    for (int i = 0; i < 20; i++) {
      lines.add(RUN + "dev/x/Tiny.t" + i + " 4");
    }
    return Files.write(dir.resolve("case.collapsed"), lines);
  }

  @Test
  void drawsOneRectPerVisibleFrameAsWideAsItsSamples() throws Exception {
    Path svg = dir.resolve("case.svg");
    FlameGraph.main(new String[] {synthetic().toString(), svg.toString()});

    Map<String, Element> rects = rectsByTooltip(parse(Files.readString(svg)));

    assertThat(rects.keySet()).containsExactlyInAnyOrder(
        "all", "[main tid=1] (thread)", "java/lang/Thread.run (java)", "dev/x/A.work (java)",
        "dev/x/B.<init>&<T> (java)", LONG_NATIVE + " (native)", "tcp_sendmsg (kernel)", "20 small frames",
        "[GC Thread#0 tid=2] (thread)", "GCTask::do_it (native)");
    double all = width(rects.get("all"));
    assertThat(all).isCloseTo(1180, within(0.1));
    assertThat(width(rects.get("dev/x/A.work (java)")) / all).isCloseTo(0.5995, within(0.0002));
    assertThat(width(rects.get("dev/x/B.<init>&<T> (java)")) / all).isCloseTo(0.3, within(0.0002));
    assertThat(width(rects.get("GCTask::do_it (native)")) / all).isCloseTo(0.002, within(0.0002));
    assertThat(rects.get("dev/x/A.work (java)").getAttribute("class")).startsWith("j");
    assertThat(rects.get("tcp_sendmsg (kernel)").getAttribute("class")).startsWith("k");
    assertThat(rects.get(LONG_NATIVE + " (native)").getAttribute("class")).startsWith("n");
    assertThat(rects.get("[main tid=1] (thread)").getAttribute("class")).startsWith("t");
  }

  @Test
  void mergesFramesUnderATenthOfAPercentPerCaller() throws Exception {
    Document doc = parse(FlameGraph.render("case", StackTree.of(synthetic())));
    Map<String, Element> rects = rectsByTooltip(doc);

    Element merged = rects.get("20 small frames");
    assertThat(merged.getAttribute("class")).isEqualTo("m");
    assertThat(width(merged) / width(rects.get("all"))).isCloseTo(0.008, within(0.0002));
    assertThat(tooltip(merged)).endsWith("80 samples, 0.80%");
    // Alone under its caller, a small frame is left out, and so is its caller below the threshold.
    assertThat(rects.keySet()).noneMatch(t -> t.contains("lonely") || t.startsWith("x "));
    // The merged box stands on Thread.run's level + 1, beside its drawn callees.
    assertThat(merged.getAttribute("y")).isEqualTo(rects.get("dev/x/A.work (java)").getAttribute("y"));
  }

  @Test
  void escapesFrameNamesAndTruncatesLabelsToTheirFrame() throws Exception {
    String svg = FlameGraph.render("a<b>&c", StackTree.of(synthetic()));
    Document doc = parse(svg);

    assertThat(svg).contains("B.&lt;init&gt;&amp;&lt;T&gt;").doesNotContain("<init>", "<T>");
    assertThat(doc.getElementsByTagName("text").item(0).getTextContent()).contains("a<b>&c", "10,000 samples");
    NodeList groups = doc.getElementsByTagName("g");
    boolean truncated = false;
    for (int i = 0; i < groups.getLength(); i++) {
      Element group = (Element) groups.item(i);
      NodeList texts = group.getElementsByTagName("text");
      if (texts.getLength() == 1) {
        String label = texts.item(0).getTextContent();
        assertThat(label.length() * 7.2).isLessThanOrEqualTo(width(rect(group)) - 6);
        truncated |= label.endsWith("..");
      }
    }
    assertThat(truncated).isTrue();
    assertThat(rectsByTooltip(doc).get("dev/x/B.<init>&<T> (java)").getParentNode().getTextContent())
        .contains("B.<init>&<T>");
  }

  @Test
  void aLargeProfileStaysSmall() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      StringBuilder stack = new StringBuilder("[EventLoop-" + random.nextInt(4) + " tid=9]");
      int depth = 5 + random.nextInt(40);
      for (int d = 0; d < depth; d++) {
        stack.append(";io/netty/some/long/package/name/Handler").append(random.nextInt(d < 3 ? 3 : 12))
            .append(".method").append(random.nextInt(4));
      }
      lines.add(stack + " " + (1 + random.nextInt(20)));
    }
    Path collapsed = Files.write(dir.resolve("big.collapsed"), lines);

    String svg = FlameGraph.render("big", StackTree.of(collapsed));

    assertThat(svg.length()).isLessThan(400_000);
    assertThat(parse(svg).getElementsByTagName("rect").getLength() - 1).isLessThanOrEqualTo(FlameLayout.MAX_BOXES);
  }

  @Test
  void aMalformedLineIsNamed() throws Exception {
    Path collapsed = Files.write(dir.resolve("bad.collapsed"), List.of("a;b 3", "a;b three"));

    assertThatThrownBy(() -> StackTree.of(collapsed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.collapsed line 2").hasMessageContaining("'a;b three'");
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every frame's rect by its tooltip's first line. */
  private static Map<String, Element> rectsByTooltip(Document doc) {
    Map<String, Element> rects = new LinkedHashMap<>();
    NodeList groups = doc.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element rect = rect((Element) groups.item(i));
      assertThat(rects.put(tooltip(rect).lines().findFirst().orElseThrow(), rect)).isNull();
    }
    assertThat(rects).hasSize(doc.getElementsByTagName("rect").getLength() - 1);
    return rects;
  }

  private static Element rect(Element group) {
    return (Element) group.getElementsByTagName("rect").item(0);
  }

  private static String tooltip(Element rect) {
    return ((Element) rect.getParentNode()).getElementsByTagName("title").item(0).getTextContent();
  }

  private static double width(Element rect) {
    return Double.parseDouble(rect.getAttribute("width"));
  }
}
