package io.fleetcast.node.store;

/** Makes agent-supplied text storable: Postgres text cannot hold NUL characters. */
final class Text {
  private Text() {}

  static String storable(String s) {
    if (s == null) {
      return "";
    }
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
