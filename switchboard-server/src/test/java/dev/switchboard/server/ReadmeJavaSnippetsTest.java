package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fenced {@code java} block of README.md compiles against the current API. A block is its
 * imports, then statements (compiled as one method's body), then optionally member declarations
 * (methods, records: everything from the first unindented declaration on). Names the application
 * around a snippet provides come from {@link ReadmeApplication}; everything else must be declared
 * or imported in README itself.
 */
class ReadmeJavaSnippetsTest {
  static final Path README = Path.of("..", "README.md");
  private static final Pattern MEMBER = Pattern.compile(
      "^(?=\\S)(?:(?:public|protected|private|static|final|abstract)\\s+)*"
          + "(?:(?:record|class|interface|enum)\\s+\\w+.*|[\\w.<>\\[\\], ?]+\\s+\\w+\\s*\\(.*\\)\\s*(?:throws [\\w., ]+)?\\{)\\s*$");

  @TempDir
  Path out;

  /** One fenced java block: its first code line's number in README and its lines. */
  record Snippet(int firstLine, List<String> lines) {}

  static List<Snippet> snippets() throws IOException {
    List<String> readme = Files.readAllLines(README, StandardCharsets.UTF_8);
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < readme.size(); i++) {
      if (readme.get(i).strip().equals("```java")) {
        int start = i + 1;
        int end = start;
        while (end < readme.size() && !readme.get(end).strip().equals("```")) {
          end++;
        }
        snippets.add(new Snippet(start + 1, readme.subList(start, end)));
        i = end;
      }
    }
    return snippets;
  }

  /** A block wrapped into a compilation unit, with the README line of each of its lines (0: added). */
  record Wrapped(Snippet snippet, String className, List<String> source, List<Integer> readmeLine) {
    JavaFileObject file() {
      return new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return String.join("\n", source);
        }
      };
    }

    /** Where a diagnostic points, in README's terms. */
    String describe(Diagnostic<? extends JavaFileObject> d) {
      int line = (int) d.getLineNumber();
      int atReadme = line >= 1 && line <= readmeLine.size() ? readmeLine.get(line - 1) : 0;
      return atReadme == 0
          ? String.format("%nREADME.md, in the block at line %d: %s", snippet.firstLine(), d.getMessage(Locale.ROOT))
          : String.format("%nREADME.md line %d: %s%n    %s", atReadme, d.getMessage(Locale.ROOT), source.get(line - 1).strip());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
    List<Wrapped> blocks = snippets().stream().map(ReadmeJavaSnippetsTest::wrap).toList();
    assertThat(blocks).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(5);
    // One compilation for all blocks (each is its own class), then one test per block.
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", classpath());
      javac.getTask(new StringWriter(), files, diagnostics, options, null,
          blocks.stream().map(Wrapped::file).toList()).call();
    }
    return blocks.stream().map(block -> DynamicTest.dynamicTest("README.md line " + block.snippet().firstLine(), () -> {
      StringBuilder errors = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null
            && d.getSource().getName().endsWith("/" + block.className() + ".java")) {
          errors.append(block.describe(d));
        }
      }
      assertThat(errors.length()).as("the java block at README.md line %d does not compile:%s",
          block.snippet().firstLine(), errors).isZero();
    }));
  }

  /**
   * The block as a subclass of {@link ReadmeApplication}: its imports first, its statements as the
   * body of one method, its member declarations (if any) after that method.
   */
  static Wrapped wrap(Snippet snippet) {
    String className = "ReadmeSnippetAtLine" + snippet.firstLine();
    List<String> source = new ArrayList<>();
    List<Integer> readmeLine = new ArrayList<>();
    List<String> lines = snippet.lines();
    int body = 0;
    while (body < lines.size() && (lines.get(body).startsWith("import ") || lines.get(body).isBlank())) {
      source.add(lines.get(body));
      readmeLine.add(snippet.firstLine() + body);
      body++;
    }
    int members = body;
    while (members < lines.size() && !MEMBER.matcher(lines.get(members)).matches()) {
      members++;
    }
    add(source, readmeLine, "public class " + className + " extends " + ReadmeApplication.class.getName() + " {");
    add(source, readmeLine, "@SuppressWarnings(\"unused\") void snippet() throws Exception {");
    for (int i = body; i < lines.size(); i++) {
      if (i == members) {
        add(source, readmeLine, "}");
      }
      source.add(lines.get(i));
      readmeLine.add(snippet.firstLine() + i);
    }
    if (members == lines.size()) {
      add(source, readmeLine, "}");
    }
    add(source, readmeLine, "}");
    return new Wrapped(snippet, className, source, readmeLine);
  }

  private static void add(List<String> source, List<Integer> readmeLine, String line) {
    source.add(line);
    readmeLine.add(0);
  }

  /** The test's own class path: Switchboard's modules, their dependencies and this test's classes. */
  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }
}
