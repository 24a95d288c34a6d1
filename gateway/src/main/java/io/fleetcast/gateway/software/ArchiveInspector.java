package io.fleetcast.gateway.software;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Lists the files of an uploaded multi-file package (zip, tar.gz) and refuses one whose entries
 * could escape the directory they are unpacked into (zip-slip: {@code ../}, absolute paths,
 * drive letters, links). Blocking; bounded by {@link #MAX_ENTRIES}.
 */
public final class ArchiveInspector {
  public static final int MAX_ENTRIES = 10_000;

  /** The upload is not a usable archive; the message is the API's error detail. */
  public static final class BadArchive extends Exception {
    public BadArchive(String message) {
      super(message, null, false, false);
    }
  }

  private ArchiveInspector() {}

  /** "zip", "tar.gz" or null (a single file), from the file name. */
  public static String kind(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".zip")) {
      return "zip";
    }
    if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
      return "tar.gz";
    }
    return null;
  }

  /** The files of the archive as [{path, size}]; for a single file, that file. */
  public static JsonArray files(Path file, String fileName, String kind) throws IOException, BadArchive {
    if (kind == null) {
      return new JsonArray().add(new JsonObject().put("path", fileName).put("size", Files.size(file)));
    }
    return "zip".equals(kind) ? zip(file) : tarGz(file);
  }

  private static JsonArray zip(Path file) throws BadArchive {
    JsonArray out = new JsonArray();
    try (ZipFile zf = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zf.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        check(e.getName());
        if (!e.isDirectory()) {
          add(out, e.getName(), e.getSize());
        }
      }
    } catch (IOException e) {
      throw new BadArchive("not a readable zip archive: " + e.getMessage());
    }
    return out;
  }

  private static JsonArray tarGz(Path file) throws BadArchive {
    JsonArray out = new JsonArray();
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        check(e.getName());
        if (e.isSymbolicLink() || e.isLink()) {
          throw new BadArchive("archive entry " + e.getName() + " is a link; links are refused");
        }
        if (e.isFile()) {
          add(out, e.getName(), e.getSize());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new BadArchive("not a readable tar.gz archive: " + e.getMessage());
    }
    return out;
  }

  private static void add(JsonArray out, String name, long size) throws BadArchive {
    if (out.size() >= MAX_ENTRIES) {
      throw new BadArchive("archive has more than " + MAX_ENTRIES + " files");
    }
    out.add(new JsonObject().put("path", name).put("size", size));
  }

  /** Refuses an entry name that would land outside the unpack directory. */
  static void check(String name) throws BadArchive {
    String n = name.replace('\\', '/');
    if (n.isEmpty() || n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
      throw new BadArchive("archive entry '" + name + "' has an absolute path (zip-slip refused)");
    }
    for (String seg : n.split("/")) {
      if (seg.equals("..")) {
        throw new BadArchive("archive entry '" + name + "' leaves the package directory (zip-slip refused)");
      }
    }
  }
}
