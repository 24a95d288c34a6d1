package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.config.StateDir;
import io.fleetcast.agent.connection.TransportPolicy;
import io.fleetcast.agent.task.Cancellation;
import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Downloads an install package into {@code state-dir/downloads/<sha256>/<name>}. A broken
 * connection is retried, resuming with {@code Range: bytes=<on disk>-} from what is already
 * on disk; a server that ignores Range (200) restarts from zero. The file is renamed from
 * {@code .part} only after its sha256 matched; a mismatch deletes it.
 */
public final class Downloader {
  private static final Logger LOG = Logger.getLogger(Downloader.class.getName());

  /** A download that failed for good; the message is the task's output. */
  public static final class DownloadFailed extends RuntimeException {
    private final boolean permanent;

    DownloadFailed(String message, boolean permanent) {
      super(message, null, false, false);
      this.permanent = permanent;
    }

    public boolean permanent() {
      return permanent;
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final WorkerExecutor worker;
  private final TransportPolicy policy;
  private final Path dir;
  private final int attempts;
  private final Duration retryDelay;
  private final long maxBytes;

  public Downloader(Vertx vertx, HttpClient http, WorkerExecutor worker, TransportPolicy policy, Path dir,
      int attempts, Duration retryDelay, long maxBytes) {
    this.vertx = vertx;
    this.http = http;
    this.worker = worker;
    this.policy = policy;
    this.dir = dir;
    this.attempts = Math.max(1, attempts);
    this.retryDelay = retryDelay;
    this.maxBytes = maxBytes;
  }

  /** The verified file. Fails with {@link DownloadFailed}. Call on the agent's context. */
  public Future<Path> fetch(String url, String sha256, Long size, Cancellation cancellation,
      BiConsumer<Integer, String> progress) {
    URI uri;
    try {
      uri = policy.check(url, false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new DownloadFailed(e.getMessage(), true));
    }
    String hash = sha256.toLowerCase(Locale.ROOT);
    Path target = dir.resolve(hash).resolve(fileName(uri));
    Path part = target.resolveSibling(target.getFileName() + ".part");
    long limit = size != null ? size : maxBytes;
    return worker.executeBlocking(() -> {
      StateDir.createPrivateDirectory(target.getParent());
      return Files.exists(target);
    }, false).compose(cached -> cached
        ? verify(target, hash, size).map(target)
        : attempt(url, part, limit, cancellation, progress, 1)
            .compose(v -> verify(part, hash, size))
            .compose(v -> worker.executeBlocking(() -> Files.move(part, target), false)));
  }

  /** One GET, resuming from the bytes on disk; retries a broken transfer up to {@code attempts} times. */
  private Future<Void> attempt(String url, Path part, long limit, Cancellation cancellation,
      BiConsumer<Integer, String> progress, int n) {
    if (cancellation.cancelled()) {
      return Future.failedFuture(new DownloadFailed("cancelled during download", true));
    }
    return worker.executeBlocking(() -> Files.exists(part) ? Files.size(part) : 0L, false)
        .compose(onDisk -> {
          if (onDisk > limit) {
            return truncate(part).compose(v -> transfer(url, part, 0, limit, cancellation, progress));
          }
          return transfer(url, part, onDisk, limit, cancellation, progress);
        })
        .recover(e -> {
          boolean permanent = e instanceof DownloadFailed df && df.permanent();
          if (permanent || n >= attempts || cancellation.cancelled()) {
            return Future.failedFuture(e instanceof DownloadFailed ? e
                : new DownloadFailed("download failed after " + n + " attempt(s): " + e.getMessage(), true));
          }
          LOG.fine(() -> Kv.event("download.retry").kv("attempt", n).kv("error", e.getMessage()).toString());
          Promise<Void> later = Promise.promise();
          vertx.setTimer(Math.max(1, retryDelay.toMillis() * n), id ->
              attempt(url, part, limit, cancellation, progress, n + 1).onComplete(later));
          return later.future();
        });
  }

  private Future<Void> transfer(String url, Path part, long from, long limit, Cancellation cancellation,
      BiConsumer<Integer, String> progress) {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setFollowRedirects(true).setConnectTimeout(10_000).setIdleTimeout(60_000);
    if (from > 0) {
      ro.putHeader("Range", "bytes=" + from + "-");
    }
    return http.request(ro).compose(req -> {
      cancellation.onCancel(() -> vertx.runOnContext(v -> req.reset()));
      return req.send();
    }).compose(resp -> {
      int status = resp.statusCode();
      if (status == 416 && from > 0) {
        // we already hold every byte: let the hash decide
        return resp.body().mapEmpty();
      }
      if (status == 206 && from > 0 && contentRangeStart(resp) == from) {
        return write(resp, part, true, from, limit, progress);
      }
      if (status == 200 || status == 206) {
        // the server ignored our Range (or answered another one): start over
        return write(resp, part, false, 0, limit, progress);
      }
      boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
      return resp.body().transform(x -> Future.failedFuture(new DownloadFailed("download of " + url
          + " answered HTTP " + status, permanent)));
    });
  }

  /** Streams the body into the part file, pausing the socket while the file catches up. */
  private Future<Void> write(HttpClientResponse resp, Path part, boolean append, long from, long limit,
      BiConsumer<Integer, String> progress) {
    resp.pause();
    Long length = contentLength(resp);
    long total = length == null ? -1 : from + length;
    if (total > limit) {
      return Future.failedFuture(new DownloadFailed("download is " + total + " bytes, more than the "
          + limit + " allowed", true));
    }
    OpenOptions oo = new OpenOptions().setWrite(true).setCreate(true).setAppend(append).setTruncateExisting(!append);
    return vertx.fileSystem().open(part.toString(), oo).compose(file -> {
      Promise<Void> done = Promise.promise();
      long[] received = {from};
      int[] lastQuarter = {(int) (total > 0 ? from * 4 / total : 0)};
      resp.handler(buf -> {
        received[0] += buf.length();
        if (received[0] > limit) {
          resp.handler(null);
          done.tryFail(new DownloadFailed("download exceeds " + limit + " bytes", true));
          resp.request().reset();
          return;
        }
        file.write(buf);
        if (file.writeQueueFull()) {
          resp.pause();
          file.drainHandler(v -> resp.resume());
        }
        if (total > 0 && received[0] * 4 / total > lastQuarter[0]) {
          lastQuarter[0] = (int) (received[0] * 4 / total);
          progress.accept(lastQuarter[0] * 25, "downloaded " + received[0] + " of " + total + " bytes");
        }
      });
      resp.exceptionHandler(done::tryFail);
      resp.endHandler(v -> done.tryComplete());
      resp.resume();
      return done.future().eventually(() -> closeQuietly(file));
    });
  }

  private static Future<Void> closeQuietly(AsyncFile file) {
    return file.close().recover(e -> Future.succeededFuture());
  }

  private Future<Void> truncate(Path part) {
    return worker.executeBlocking(() -> {
      try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
        ch.truncate(0);
      }
      return null;
    }, false);
  }

  private Future<Void> verify(Path file, String expected, Long size) {
    return worker.<String>executeBlocking(() -> {
      long actualSize = Files.size(file);
      if (size != null && actualSize != size) {
        Files.deleteIfExists(file);
        return "size mismatch: expected " + size + " bytes, got " + actualSize + "; file deleted, nothing run";
      }
      String actual = sha256(file);
      if (!actual.equals(expected)) {
        Files.deleteIfExists(file);
        return "sha256 mismatch: expected " + expected + ", got " + actual + "; file deleted, nothing run";
      }
      return null;
    }, false).compose(problem -> problem == null ? Future.succeededFuture()
        : Future.failedFuture(new DownloadFailed(problem, true)));
  }

  public static String sha256(Path file) throws IOException {
    return io.fleetcast.protocol.Sha256.ofFile(file);
  }

  static String fileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    String safe = last.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.isEmpty() || safe.startsWith(".")) {
      safe = "download" + safe;
    }
    return safe.length() > 100 ? safe.substring(safe.length() - 100) : safe;
  }

  private static long contentRangeStart(HttpClientResponse resp) {
    String cr = resp.getHeader("Content-Range");
    if (cr == null || !cr.startsWith("bytes ")) {
      return -1;
    }
    try {
      return Long.parseLong(cr.substring(6, cr.indexOf('-')).trim());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static Long contentLength(HttpClientResponse resp) {
    String cl = resp.getHeader("Content-Length");
    try {
      return cl == null ? null : Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
