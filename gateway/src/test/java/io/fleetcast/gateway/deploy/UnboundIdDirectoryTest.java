package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LDAP discovery against UnboundID's in-memory directory on 127.0.0.1: paging, flavors, attributes, refusals. */
class UnboundIdDirectoryTest {
  static InMemoryDirectoryServer ldap;
  static final AtomicInteger searches = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=lab,dc=example");
    cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
    cfg.addAdditionalBindCredentials("cn=reader,dc=lab,dc=example", "pw");
    cfg.setSchema(null);
    cfg.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
      @Override
      public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
        searches.incrementAndGet();
      }
    });
    ldap = new InMemoryDirectoryServer(cfg);
    ldap.add(new Entry("dn: dc=lab,dc=example", "objectClass: domain", "dc: lab"));
    for (int i = 0; i < 50; i++) {
      ldap.add(new Entry("dn: cn=pc-" + i + ",dc=lab,dc=example", "objectClass: computer", "cn: pc-" + i,
          "dNSHostName: pc-" + i + ".lab.example"));
    }
    for (int i = 0; i < 3; i++) {
      ldap.add(new Entry("dn: cn=dev-" + i + ",dc=lab,dc=example", "objectClass: device", "cn: dev-" + i,
          "ipHostNumber: 192.0.2." + (10 + i)));
    }
    ldap.startListening();
  }

  @AfterAll
  static void stop() {
    ldap.shutDown(true);
  }

  static LdapQuery query(LdapQuery.Flavor flavor, String filter, String name, String ip, String password, int page,
      int max) {
    return new LdapQuery("ldap://127.0.0.1:" + ldap.getListenPort(), "dc=lab,dc=example", flavor, filter, name, ip,
        "cn=reader,dc=lab,dc=example", password, page, max);
  }

  /** 50 computers with a page size of 7 take 8 paged searches and come back complete. */
  @Test
  void pagedSearch() {
    searches.set(0);
    List<DiscoveredHost> hosts = new UnboundIdDirectory(10_000)
        .search(query(LdapQuery.Flavor.AD, null, "dNSHostName", null, "pw", 7, 1000));
    assertThat(hosts).hasSize(50).allMatch(h -> h.source().equals("ldap") && h.name().endsWith(".lab.example"));
    assertThat(searches.get()).isEqualTo(8);
  }

  /** The operator's filter narrows the search; maxHosts bounds it. */
  @Test
  void filterAndBound() {
    assertThat(new UnboundIdDirectory(10_000).search(query(LdapQuery.Flavor.AD, "(cn=pc-1*)", "cn", null, "pw", 100, 1000)))
        .extracting(DiscoveredHost::name).containsExactlyInAnyOrder("pc-1", "pc-10", "pc-11", "pc-12", "pc-13", "pc-14",
            "pc-15", "pc-16", "pc-17", "pc-18", "pc-19");
    assertThat(new UnboundIdDirectory(10_000).search(query(LdapQuery.Flavor.AD, null, "cn", null, "pw", 5, 12)))
        .hasSize(12);
  }

  /** OpenLDAP flavor: device objects, with the address from ipHostNumber. */
  @Test
  void openLdapDevicesWithAddresses() {
    assertThat(new UnboundIdDirectory(10_000).search(query(LdapQuery.Flavor.OPENLDAP, null, "cn", "ipHostNumber", "pw",
        100, 1000))).extracting(DiscoveredHost::ip).containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11", "192.0.2.12");
  }

  /** A refused bind is a DirectoryException naming the result code, and the password is not in it. */
  @Test
  void refusedBind() {
    assertThatThrownBy(() -> new UnboundIdDirectory(10_000).search(query(LdapQuery.Flavor.AD, null, "cn", null,
        "wrong-secret", 10, 10))).isInstanceOf(HostDirectory.DirectoryException.class)
        .hasMessageContaining("invalid credentials").hasMessageNotContaining("wrong-secret");
  }
}
