package io.fleetcast.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README is part of the product: its configuration table must be the one the code has. */
class ReadmeTest {
  static final String BEGIN = "<!-- settings:begin -->\n";
  static final String END = "<!-- settings:end -->";

  /**
   * Verifies the README's configuration table equals Settings.markdownTable(). Run with
   * -Dfleetcast.updateReadme=true to rewrite it from the code.
   */
  @Test
  void configurationTableMatchesTheCode() throws Exception {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    assertThat(b).as("README has the settings markers").isGreaterThanOrEqualTo(0);
    assertThat(e).isGreaterThan(b);
    String current = text.substring(b + BEGIN.length(), e);
    String expected = Settings.markdownTable();
    if (Boolean.getBoolean("fleetcast.updateReadme")) {
      Files.writeString(readme, text.substring(0, b + BEGIN.length()) + expected + text.substring(e));
      return;
    }
    assertThat(current).as("README configuration table (regenerate: mvn -pl gateway test -Dtest=ReadmeTest "
        + "-Dfleetcast.updateReadme=true)").isEqualTo(expected);
  }
}
