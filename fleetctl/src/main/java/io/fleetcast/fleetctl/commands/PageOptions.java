package io.fleetcast.fleetctl.commands;

import picocli.CommandLine.Option;

/** The paging options of every listing command (a picocli mixin). */
final class PageOptions {
  @Option(names = "--after", paramLabel = "CURSOR", description = "Start after this cursor (the 'next' of a page)")
  String after;

  @Option(names = "--all", description = "Follow the cursor through every page")
  boolean all;
}
