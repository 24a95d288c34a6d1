package io.fleetcast.common.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bundled Postgres binaries, extracted by zonky into our private directory, and a way to run
 * them. zonky keeps the folder it extracts to to itself (it is named after the archive's MD5), so
 * this resolver computes that digest while zonky reads the archive.
 */
final class PgBinaries implements PgBinaryResolver {
  private final Path workDir;
  private volatile String md5;

  PgBinaries(Path workDir) {
    this.workDir = workDir;
  }

  Path workDir() {
    return workDir;
  }

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
    if (archive == null) {
      return null;
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
    return new DigestInputStream(archive, digest) {
      @Override
      public void close() throws IOException {
        super.close();
        if (md5 == null) {
          md5 = HexFormat.of().formatHex(digest.digest());
        }
      }
    };
  }

  /** Path of {@code bin/<name>}; known once zonky has prepared the binaries. */
  Path bin(String name) {
    if (md5 == null) {
      throw new IllegalStateException("the Postgres binaries are not prepared yet");
    }
    return workDir.resolve("PG-" + md5).resolve("bin").resolve(name);
  }

  /**
   * Runs a Postgres tool with {@code stdin} and returns its output, failing with that output on a
   * non-zero exit. As root, like zonky, in a user namespace: Postgres refuses to run as root.
   */
  String run(String tool, List<String> args, String stdin, Duration timeout) {
    List<String> cmd = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      cmd.addAll(List.of("unshare", "-U"));
    }
    cmd.add(bin(tool).toString());
    cmd.addAll(args);
    Path output = null;
    try {
      // output to a file in our private directory: a pipe nobody reads could block the tool
      output = Files.createTempFile(workDir, tool, ".out");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(tool + " did not finish within " + timeout);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
            + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + tool, e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a leftover output file in our own directory is harmless
        }
      }
    }
  }
}
