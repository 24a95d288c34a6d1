package io.fleetcast.gateway.software;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Catalog meters: uploads by outcome (a refused upload names why) and stored bytes. */
public final class SoftwareMetrics {
  static final String UPLOADS = "fleetcast.package.uploads";
  static final String UPLOAD_BYTES = "fleetcast.package.upload.bytes";
  static final String[] OUTCOMES = {"stored", "tooLarge", "truncated", "badArchive", "hashMismatch", "duplicate",
      "invalid", "aborted"};

  private final MeterRegistry registry;
  private final Counter bytes;

  public SoftwareMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.bytes = Counter.builder(UPLOAD_BYTES).description("Package bytes received by uploads that were stored")
        .register(registry);
    for (String o : OUTCOMES) {
      upload(o, 0);
    }
  }

  public void upload(String outcome, int n) {
    Counter.builder(UPLOADS).tag("outcome", outcome).description("Package uploads by outcome").register(registry)
        .increment(n);
  }

  public void stored(long n) {
    bytes.increment(n);
  }
}
