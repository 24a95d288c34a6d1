package io.fleetcast.common.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive claim of one process on a data directory, held until the process ends (the
 * operating system releases it even after {@code kill -9}, so a crash never leaves it behind).
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "fleetcast.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or fails at once, naming the directory, when another process (or this one) holds it. */
  static DataDirLock acquire(Path dataDir) throws IOException {
    FileChannel ch = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this JVM already
    }
    if (lock == null) {
      ch.close();
      throw new DataDirInUseException(dataDir);
    }
    return new DataDirLock(ch, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process is ending or the file is gone: the lock goes with the channel
    }
  }

  /** Another Fleetcast holds the data directory. */
  static final class DataDirInUseException extends IllegalStateException {
    DataDirInUseException(Path dataDir) {
      super("another Fleetcast is running on this data directory (" + dataDir + "); stop it first, or give this one "
          + "its own dataDir (FLEETCAST_DATA_DIR)");
    }
  }
}
