package dev.switchboard.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The webhook signature check of README's Java snippet, compiled from README.md as it stands and
 * called as it is written there: the code a test verifies every webhook request with.
 */
public final class ReadmeWebhookVerifier {
  /** The method README's snippet declares. */
  static final String METHOD = "verifySwitchboardWebhook";

  private final Method verify;

  private ReadmeWebhookVerifier(Method verify) {
    this.verify = verify;
  }

  /** Compiles README's block that declares {@link #METHOD}; fails when there is none or it does not compile. */
  public static ReadmeWebhookVerifier compile() {
    try {
      ReadmeJavaSnippetsTest.Snippet snippet = ReadmeJavaSnippetsTest.snippets().stream()
          .filter(block -> block.lines().stream().anyMatch(line -> line.contains(" " + METHOD + "(")))
          .findFirst().orElseThrow(() -> new AssertionError("README.md has no java block declaring " + METHOD));
      ReadmeJavaSnippetsTest.Wrapped wrapped = ReadmeJavaSnippetsTest.wrap(snippet);
      Path out = Files.createTempDirectory("readme-webhook");
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(new StringWriter(), files, diagnostics,
            List.of("-proc:none", "-d", out.toString(), "-classpath", classpath), null, List.of(wrapped.file())).call();
        if (!ok) {
          throw new AssertionError("README's " + METHOD + " does not compile: " + diagnostics.getDiagnostics());
        }
      }
      ClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, ReadmeWebhookVerifier.class.getClassLoader());
      Class<?> type = loader.loadClass(wrapped.className());
      Method verify = type.getDeclaredMethod(METHOD, String.class, String.class, byte[].class, List.class, long.class);
      verify.setAccessible(true);
      return new ReadmeWebhookVerifier(verify);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("README's " + METHOD + " is not (String, String, byte[], List<String>, long): " + e, e);
    }
  }

  /** What README's code answers for a request with these headers and body, checked at {@code nowSeconds}. */
  public boolean verify(String timestamp, String signature, byte[] body, List<String> secrets, long nowSeconds) {
    try {
      return (Boolean) verify.invoke(null, timestamp, signature, body, secrets, nowSeconds);
    } catch (InvocationTargetException e) {
      throw new AssertionError("README's " + METHOD + " threw", e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
