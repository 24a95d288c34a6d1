package io.fleetcast.gateway.wake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads one Prometheus sample sum from a process's {@code /metrics}. */
final class ScrapedMetrics {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private ScrapedMetrics() {}

  /** Sum of the samples of {@code name} whose labels include every {@code key="value"} given. */
  static double value(String baseUrl, String name, String... labels) {
    String text;
    try {
      text = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
