package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build, written into {@code version.properties} by Maven's resource filtering. */
final class ServerVersion {
  private static final String RESOURCE = "version.properties";

  private ServerVersion() {}

  /** The project version the server was built as, e.g. {@code 0.2.0}. */
  static String read() {
    try (InputStream in = ServerVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path: build with Maven");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      if (version.isBlank() || version.startsWith("${")) {
        throw new IllegalStateException(RESOURCE + " was not filtered by the build: '" + version + "'");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
