package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's SHA-256 is the lower-case hex every content name uses, also across read blocks. */
class Sha256Test {

  /** The FIPS 180-2 test vector "abc", and an empty file. */
  @Test
  void knownDigests(@TempDir Path dir) throws Exception {
    // GIVEN files with known digests
    Path abc = Files.writeString(dir.resolve("abc"), "abc");
    Path empty = Files.createFile(dir.resolve("empty"));

    // WHEN they are hashed
    // THEN the digests are the published ones, in lower-case hex
    assertThat(Sha256.ofFile(abc)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.ofFile(empty)).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  /** A file larger than one read block hashes the same as its bytes in one go. */
  @Test
  void largerThanOneBlock(@TempDir Path dir) throws Exception {
    // GIVEN 200 000 bytes (three 64 KiB blocks and a bit)
    byte[] data = new byte[200_000];
    new java.util.Random(3).nextBytes(data);
    Path f = Files.write(dir.resolve("big"), data);

    // WHEN the file is hashed
    // THEN it matches the digest of the whole array
    assertThat(Sha256.ofFile(f)).isEqualTo(java.util.HexFormat.of().formatHex(Sha256.digest().digest(data)));
  }
}
