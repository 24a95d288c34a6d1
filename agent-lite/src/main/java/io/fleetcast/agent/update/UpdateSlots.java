package io.fleetcast.agent.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The install directory's jars: {@code versions/<version>.jar}, and the text files
 * {@code current} and {@code previous} naming which one runs and which one to go back to. The
 * jar installed first ({@code fleetcast-agent-lite.jar}) is the launcher's own and is version
 * {@code initial} until an update names another; it is never deleted.
 */
public final class UpdateSlots {
  public static final String INITIAL = "initial";
  public static final String INITIAL_JAR = "fleetcast-agent-lite.jar";
  private final Path dir;

  public UpdateSlots(Path installDir) {
    this.dir = installDir;
  }

  public Path dir() {
    return dir;
  }

  public String current() throws IOException {
    return read("current", INITIAL);
  }

  public String previous() throws IOException {
    return read("previous", INITIAL);
  }

  public Path jar(String version) {
    return INITIAL.equals(version) ? dir.resolve(INITIAL_JAR) : dir.resolve("versions").resolve(version + ".jar");
  }

  /** Moves a verified download into place as {@code version} (the agent does this before exiting). */
  public Path stage(String version, Path verified) throws IOException {
    Path target = jar(version);
    Files.createDirectories(target.getParent());
    Files.copy(verified, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /** current := version, previous := what was current (the launcher does this). */
  public void activate(String version) throws IOException {
    String was = current();
    write("previous", was);
    write("current", version);
  }

  /** current := previous; the failed version's jar stays for inspection. */
  public void rollback() throws IOException {
    write("current", previous());
  }

  private String read(String name, String dflt) throws IOException {
    Path f = dir.resolve(name);
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : dflt;
  }

  private void write(String name, String value) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
