package io.fleetcast.common.db;

import java.nio.file.Path;

/** Test helper run in a child JVM: starts the embedded Postgres of a data directory, prints its port, waits to be killed. */
public final class EmbeddedDatabaseChild {
  private EmbeddedDatabaseChild() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0);
    System.out.println("READY port=" + db.url().port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
