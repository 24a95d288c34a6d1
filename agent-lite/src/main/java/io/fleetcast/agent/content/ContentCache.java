package io.fleetcast.agent.content;

import io.fleetcast.agent.config.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The agent's content cache: {@code <dir>/<sha256>/<file name>}, only verified blobs, bounded in
 * bytes, least recently used evicted first ({@link CacheEviction}); the directory's mtime is its
 * last use. A re-run finds its content here and downloads nothing. Blocking: call from a worker.
 */
public final class ContentCache {
  private final Path dir;
  private final long maxBytes;
  private final Set<String> pinned = ConcurrentHashMap.newKeySet();

  public ContentCache(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  public Path dir() {
    return dir;
  }

  /** The cached file of {@code sha256}, or null; a hit counts as a use. */
  public Path lookup(String sha256) throws IOException {
    Path d = dir.resolve(sha256);
    if (!Files.isDirectory(d)) {
      return null;
    }
    try (Stream<Path> files = Files.list(d)) {
      Path f = files.filter(p -> !p.getFileName().toString().endsWith(".part")).findFirst().orElse(null);
      if (f != null) {
        Files.setLastModifiedTime(d, FileTime.from(Instant.now()));
      }
      return f;
    }
  }

  /** Where a download of {@code sha256} is assembled (kept across attempts for resuming). */
  public Path partFile(String sha256) throws IOException {
    Path d = dir.resolve(".incoming");
    StateDir.createPrivateDirectory(d);
    return d.resolve(sha256 + ".part");
  }

  /** Moves a verified part file into the cache, evicting old entries to make room. */
  public Path adopt(Path part, String sha256, String fileName) throws IOException {
    long size = Files.size(part);
    for (String victim : CacheEviction.victims(entries(), maxBytes, size, pinned)) {
      deleteTree(dir.resolve(victim));
    }
    Path d = dir.resolve(sha256);
    StateDir.createPrivateDirectory(d);
    Path target = d.resolve(fileName);
    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** Keeps a blob from eviction while it is used (installing, or being served to a peer). */
  public void pin(String sha256) {
    pinned.add(sha256);
  }

  public void unpin(String sha256) {
    pinned.remove(sha256);
  }

  public List<CacheEviction.Entry> entries() throws IOException {
    List<CacheEviction.Entry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(dir)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
        long size = 0;
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : files.toList()) {
            size += Files.size(f);
          }
        }
        out.add(new CacheEviction.Entry(d.getFileName().toString(), size, Files.getLastModifiedTime(d).toInstant()));
      }
    }
    return out;
  }

  static void deleteTree(Path d) throws IOException {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(d)) {
      for (Path f : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
