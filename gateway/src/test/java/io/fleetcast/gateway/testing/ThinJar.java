package io.fleetcast.gateway.testing;

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
public final class ThinJar {
  private ThinJar() {}

  public static Path write(Path file, String mainClass) throws IOException {
    return write(file, mainClass, java.util.Map.of(), true);
  }

  /**
   * With {@code resources} (name -> text) inside the jar, first on the class path (how a test
   * build carries its own agent version); {@code withClassPath} false leaves the Class-Path out:
   * the main class then does not load, a build that does not start.
   */
  public static Path write(Path file, String mainClass, java.util.Map<String, String> resources, boolean withClassPath)
      throws IOException {
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
    if (withClassPath) {
      m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    }
    try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
      for (java.util.Map.Entry<String, String> r : resources.entrySet()) {
        jar.putNextEntry(new java.util.jar.JarEntry(r.getKey()));
        jar.write(r.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
    return file;
  }
}
