package io.fleetcast.common.security;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory only this process's user may enter (0700, owned by us): where binaries that we
 * later execute, or secrets, are kept. A directory someone else owns is refused, since whoever
 * owns it can replace what is inside.
 */
public final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateDirectory() {}

  /** Creates {@code dir} as 0700 or checks an existing one: ours (tightened to 0700 if looser), a real directory. */
  public static Path ensure(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (!posix()) {
      return Files.createDirectories(d);
    }
    if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
      Path parent = d.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }
    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(d + " must be a directory (not a link or a file)");
    }
    long owner = ((Number) Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    if (owner != currentUid()) {
      throw new IOException(d + " is owned by uid " + owner + ", not by this user (uid " + currentUid()
          + "): refusing to use it (its owner could replace its contents)");
    }
    if (!Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
      Files.setPosixFilePermissions(d, OWNER_ONLY);
    }
    return d;
  }

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** The effective user id of this process (what owns the files it creates). */
  public static long currentUid() {
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }
}
