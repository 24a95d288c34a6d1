package io.fleetcast.agent.content;

import io.fleetcast.agent.task.Cancellation;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Fetches one blob from one source into the part file: resumes with {@code Range} from the bytes
 * on disk after a cut (up to {@code attempts} tries), follows a depot's {@code 503 Retry-After}
 * while it is still fetching the content (up to {@code maxWaitMillis}), restarts from zero when
 * the source ignores the range, and paces itself to the bandwidth limit. Does not verify: the
 * caller hashes the whole file against the signed sha256.
 */
final class SourceDownload {
  /** A source that cannot serve us; try the next. */
  static final class SourceFailed extends RuntimeException {
    SourceFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final WorkerExecutor worker;
  private final int attempts;
  private final long maxWaitMillis;

  SourceDownload(Vertx vertx, HttpClient http, WorkerExecutor worker, int attempts, long maxWaitMillis) {
    this.vertx = vertx;
    this.http = http;
    this.worker = worker;
    this.attempts = attempts;
    this.maxWaitMillis = maxWaitMillis;
  }

  /** Request state: the source, the size expected, headers, the pacing and where bytes are counted. */
  record Job(Source source, String url, long size, MultiMap headers, Throttle throttle, LongConsumer received,
      Cancellation cancellation) {}

  Future<Void> run(Job job, Path part) {
    return attempt(job, part, 1, System.nanoTime() + maxWaitMillis * 1_000_000L);
  }

  private Future<Void> attempt(Job job, Path part, int n, long waitDeadline) {
    if (job.cancellation().cancelled()) {
      return Future.failedFuture(new SourceFailed("cancelled"));
    }
    return worker.executeBlocking(() -> Files.exists(part) ? Files.size(part) : 0L, false)
        .compose(onDisk -> onDisk >= job.size() && job.size() > 0 ? Future.succeededFuture()
            : transfer(job, part, onDisk > job.size() ? 0 : onDisk))
        .recover(e -> {
          if (e instanceof RetryLater later && System.nanoTime() + later.millis * 1_000_000L < waitDeadline) {
            return delay(later.millis).compose(v -> attempt(job, part, n, waitDeadline));
          }
          if (e instanceof SourceFailed || n >= attempts) {
            return Future.failedFuture(e instanceof SourceFailed ? e : new SourceFailed(job.source().name() + ": "
                + e.getMessage()));
          }
          return delay(200L * n).compose(v -> attempt(job, part, n + 1, waitDeadline));
        });
  }

  /** The source answered 503 with Retry-After: it will have the content soon. */
  static final class RetryLater extends RuntimeException {
    final long millis;

    RetryLater(long millis) {
      super("retry after " + millis + " ms", null, false, false);
      this.millis = millis;
    }
  }

  private Future<Void> delay(long millis) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, millis), t -> p.complete());
    return p.future();
  }

  private Future<Void> transfer(Job job, Path part, long from) {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(job.url())
        .setConnectTimeout(10_000).setIdleTimeout(30_000).setHeaders(MultiMap.caseInsensitiveMultiMap()
            .addAll(job.headers()));
    if (from > 0) {
      ro.putHeader("Range", "bytes=" + from + "-");
    }
    return http.request(ro).compose(req -> {
      job.cancellation().onCancel(() -> vertx.runOnContext(v -> req.reset()));
      return req.send();
    }).compose(resp -> {
      int status = resp.statusCode();
      if (status == 503 && job.source().kind() == Source.Kind.PEER) {
        // a busy peer: another peer or a depot serves us now rather than later
        return resp.body().transform(x -> Future.failedFuture(new SourceFailed(job.source().name() + " is busy")));
      }
      if (status == 503 && resp.getHeader("Retry-After") != null) {
        long secs = parseOr(resp.getHeader("Retry-After"), 2);
        return resp.body().transform(x -> Future.failedFuture(new RetryLater(Math.min(30, Math.max(1, secs)) * 1000)));
      }
      if (status == 206 && from > 0 && contentRangeStart(resp) == from) {
        return write(job, resp, part, true);
      }
      if (status == 200 || status == 206) {
        return write(job, resp, part, false);
      }
      String why = job.source().name() + " answered HTTP " + status;
      return resp.body().transform(x -> Future.failedFuture(new SourceFailed(why)));
    });
  }

  private Future<Void> write(Job job, HttpClientResponse resp, Path part, boolean append) {
    resp.pause();
    OpenOptions oo = new OpenOptions().setWrite(true).setCreate(true).setAppend(append).setTruncateExisting(!append);
    return vertx.fileSystem().open(part.toString(), oo).compose(file -> {
      Promise<Void> done = Promise.promise();
      long[] got = {0};
      resp.handler(buf -> {
        got[0] += buf.length();
        if (got[0] > job.size() + 1) {
          resp.handler(null);
          done.tryFail(new SourceFailed(job.source().name() + " sent more than the signed size"));
          resp.request().reset();
          return;
        }
        file.write(buf);
        job.received().accept(buf.length());
        long pause = job.throttle().take(buf.length(), System.nanoTime());
        if (file.writeQueueFull() || pause > 0) {
          resp.pause();
          Runnable resume = () -> {
            if (file.writeQueueFull()) {
              file.drainHandler(v -> resp.resume());
            } else {
              resp.resume();
            }
          };
          if (pause > 0) {
            vertx.setTimer(pause, t -> resume.run());
          } else {
            resume.run();
          }
        }
      });
      resp.exceptionHandler(done::tryFail);
      resp.endHandler(v -> done.tryComplete());
      resp.resume();
      return done.future().eventually(() -> closeQuietly(file));
    });
  }

  private static Future<Void> closeQuietly(AsyncFile f) {
    return f.close().recover(e -> Future.succeededFuture());
  }

  private static long parseOr(String s, long dflt) {
    try {
      return Long.parseLong(s.trim());
    } catch (RuntimeException e) {
      return dflt;
    }
  }

  private static long contentRangeStart(HttpClientResponse resp) {
    String cr = resp.getHeader("Content-Range");
    if (cr == null || !cr.startsWith("bytes ") || cr.indexOf('-') < 0) {
      return -1;
    }
    try {
      return Long.parseLong(cr.substring(6, cr.indexOf('-')).trim());
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
