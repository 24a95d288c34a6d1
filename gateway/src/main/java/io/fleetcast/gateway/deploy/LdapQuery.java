package io.fleetcast.gateway.deploy;

/**
 * Where and how to find computers in a directory. {@code flavor} picks the default object
 * class ({@code ad}: {@code computer}, {@code openldap}: {@code device}); {@code filter} narrows
 * it further (RFC 4515 text); {@code nameAttribute} holds the host name ({@code dNSHostName}
 * or {@code cn}); {@code ipAttribute} an address when the directory keeps one ({@code ipHostNumber}).
 * The bind password is a secret: never logged, never returned.
 */
public record LdapQuery(String url, String baseDn, Flavor flavor, String filter, String nameAttribute,
    String ipAttribute, String bindDn, String bindPassword, int pageSize, int maxHosts) {

  public enum Flavor {
    AD("(objectClass=computer)"), OPENLDAP("(objectClass=device)");

    private final String objectClassFilter;

    Flavor(String objectClassFilter) {
      this.objectClassFilter = objectClassFilter;
    }

    public String objectClassFilter() {
      return objectClassFilter;
    }
  }

  @Override
  public String toString() {
    return "LdapQuery[url=" + url + ", baseDn=" + baseDn + ", flavor=" + flavor + ", filter=" + filter
        + ", nameAttribute=" + nameAttribute + ", bindDn=" + bindDn + ", bindPassword=***]";
  }
}
