package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Filter building for AD and OpenLDAP: object class, the operator's filter, name present, escaping. */
class LdapFiltersTest {

  /** AD: computers with the operator's filter and the name attribute present. */
  @Test
  void activeDirectory() {
    assertThat(LdapFilters.build(LdapQuery.Flavor.AD, "(operatingSystem=Windows*)", "dNSHostName").toString())
        .isEqualTo("(&(objectClass=computer)(operatingSystem=Windows*)(dNSHostName=*))");
  }

  /** Disabled AD accounts are recognised by bit 2 of userAccountControl. */
  @Test
  void disabledAccounts() {
    assertThat(LdapFilters.disabled("4098")).isTrue();
    assertThat(LdapFilters.disabled("4096")).isFalse();
    assertThat(LdapFilters.disabled(null)).isFalse();
    assertThat(LdapFilters.disabled("x")).isFalse();
  }

  /** OpenLDAP: devices; no operator filter is fine. */
  @Test
  void openLdap() {
    assertThat(LdapFilters.build(LdapQuery.Flavor.OPENLDAP, " ", "cn").toString())
        .isEqualTo("(&(objectClass=device)(cn=*))");
  }

  /** A broken operator filter is refused with the parser's reason, not sent. */
  @Test
  void invalidFilter() {
    assertThatThrownBy(() -> LdapFilters.build(LdapQuery.Flavor.AD, "(cn=a", "cn"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid LDAP filter");
  }

  /** Values are escaped: a name with '*' and ')' cannot widen the search. */
  @Test
  void escaping() {
    assertThat(LdapFilters.nameEquals("cn", "a*)(uid=*").toString()).isEqualTo("(cn=a\\2a\\29\\28uid=\\2a)");
  }
}
