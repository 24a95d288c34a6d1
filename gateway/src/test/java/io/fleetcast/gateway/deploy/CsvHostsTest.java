package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The BIOS_NAME,IP_ADDRESS import: header, quotes, BOM, extra columns, and every bad line by number. */
class CsvHostsTest {

  /** A header line is skipped, extra columns ignored, the IP is optional. */
  @Test
  void headerAndExtraColumns() {
    CsvHosts.Parsed p = CsvHosts.parse("BIOS_NAME,IP_ADDRESS,OWNER\nPC-001,10.1.2.3,alice\nPC-002,,bob\n");
    assertThat(p.errors()).isEmpty();
    assertThat(p.hosts()).containsExactly(new DiscoveredHost("PC-001", "10.1.2.3", "csv"),
        new DiscoveredHost("PC-002", null, "csv"));
  }

  /** Without a header the first line is data. */
  @Test
  void noHeader() {
    assertThat(CsvHosts.parse("pc1,127.0.0.1").hosts()).extracting(DiscoveredHost::name).containsExactly("pc1");
  }

  /** A UTF-8 BOM and CRLF line ends (Excel's export) are handled. */
  @Test
  void bomAndCrlf() {
    CsvHosts.Parsed p = CsvHosts.parse("\uFEFFBIOS_NAME,IP_ADDRESS\r\nPC-9,192.0.2.9\r\n");
    assertThat(p.errors()).isEmpty();
    assertThat(p.hosts()).extracting(DiscoveredHost::name).containsExactly("PC-9");
  }

  /** Quoted fields may hold commas and doubled quotes; quotes around name and IP are removed. */
  @Test
  void quotes() {
    CsvHosts.Parsed p = CsvHosts.parse("\"PC-1\",\"192.0.2.1\",\"Smith, \"\"J\"\"\"\n");
    assertThat(p.errors()).isEmpty();
    assertThat(p.hosts()).containsExactly(new DiscoveredHost("PC-1", "192.0.2.1", "csv"));
    assertThat(CsvHosts.fields("a,\"b,\"\"c\"\"\",d")).containsExactly("a", "b,\"c\"", "d");
  }

  /** Every bad line is reported with its 1-based number; good lines around them are kept. */
  @Test
  void badLinesByNumber() {
    String csv = String.join("\n", "BIOS_NAME,IP_ADDRESS", "ok-1,192.0.2.1", ",192.0.2.2", "bad name,192.0.2.3",
        "ok-2,999.1.1.1", "\"unterminated,1.2.3.4", "", "ok-3,192.0.2.4", "x\"y\",1.1.1.1");
    CsvHosts.Parsed p = CsvHosts.parse(csv);
    assertThat(p.hosts()).extracting(DiscoveredHost::name).containsExactly("ok-1", "ok-3");
    assertThat(p.errors()).extracting(CsvHosts.LineError::line).containsExactly(3, 4, 5, 6, 9);
    List<String> messages = p.errors().stream().map(CsvHosts.LineError::message).toList();
    assertThat(messages.get(0)).contains("BIOS_NAME is empty");
    assertThat(messages.get(2)).contains("999.1.1.1");
    assertThat(messages.get(3)).contains("unterminated quote");
  }

  /** A name listed twice (in any case) is kept once. */
  @Test
  void duplicates() {
    assertThat(CsvHosts.parse("pc1,192.0.2.1\nPC1,192.0.2.2").hosts()).hasSize(1);
  }
}
