package io.fleetcast.agent.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The agent's state directory and its layout. Everything that must survive a restart lives
 * here: credentials, the task id history (dedupe), unacknowledged results and downloads.
 * Files are written atomically (temp file, fsync, rename) with mode 0600 where the file
 * system supports POSIX permissions. Calls here block: run them on a worker thread.
 *
 * <pre>
 * state-dir/
 *   agent.lock          held while an agent runs on this directory (one agent per state dir)
 *   credentials.json    agentId, agentSecret, gatewayUrl, nodes, signingKeys, tags, caSha256
 *   history.jsonl       accepted/finished task ids, append-only, compacted on start
 *   results/            one file per result not yet acknowledged by a node
 *   downloads/          install downloads, by sha256
 *   work/               working directory of exec tasks
 * </pre>
 */
public final class StateDir {
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

  private final Path root;
  private FileChannel lockChannel;
  private FileLock lock;

  public StateDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path credentials() {
    return root.resolve("credentials.json");
  }

  /** The server-assigned tags last learned from the gateway ({@code GET /agent/v1/self}). */
  public Path assignedTags() {
    return root.resolve("assigned-tags.json");
  }

  public Path history() {
    return root.resolve("history.jsonl");
  }

  public Path results() {
    return root.resolve("results");
  }

  public Path downloads() {
    return root.resolve("downloads");
  }

  public Path work() {
    return root.resolve("work");
  }

  /** Creates the layout and takes the single-agent lock; fails when another agent holds it. */
  public synchronized void open() throws IOException {
    createPrivateDirectory(root);
    createPrivateDirectory(results());
    createPrivateDirectory(downloads());
    createPrivateDirectory(work());
    Path lockFile = root.resolve("agent.lock");
    lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    restrict(lockFile);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      // two agents on one state dir could both run a task id: refuse rather than break dedupe
      throw new IOException("state dir " + root + " is in use by another agent process");
    }
  }

  public synchronized void close() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException ignored) {
      // releasing on shutdown; the OS drops the lock with the process anyway
    } finally {
      lock = null;
      lockChannel = null;
    }
  }

  public static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path abs = dir.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    try {
      if (supportsPosix(abs)) {
        Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(OWNER_RWX));
      } else {
        Files.createDirectory(abs);
      }
    } catch (FileAlreadyExistsException raced) {
      // created meanwhile: fine
    }
  }

  /** Writes {@code text} so that a crash leaves either the old or the new content, never a torn file. */
  public static void writeAtomically(Path target, String text) throws IOException {
    writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      restrict(tmp);
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Mode 0600 where the file system has POSIX permissions (not on Windows, where ACLs of the dir apply). */
  public static void restrict(Path file) throws IOException {
    if (supportsPosix(file)) {
      Files.setPosixFilePermissions(file, OWNER_RW);
    }
  }

  private static boolean supportsPosix(Path p) {
    return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
