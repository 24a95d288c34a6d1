package io.fleetcast.gateway.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A launchable agent-lite jar for tests that run before {@code package}: a manifest with the
 * main class and a Class-Path naming this JVM's class path (the agent's compiled classes and
 * dependencies), so {@code java -jar} and {@code java -cp} really start agent-lite.
 */
final class ThinJar {
  private ThinJar() {}

  static Path write(Path file, String mainClass) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    List<String> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        Path p = Path.of(entry).toAbsolutePath();
        urls.add(p.toUri().toString());
      }
    }
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
      jar.flush();
    }
    return file;
  }
}
