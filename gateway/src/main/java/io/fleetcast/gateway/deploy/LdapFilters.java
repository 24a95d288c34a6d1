package io.fleetcast.gateway.deploy;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the search filter of a directory discovery: the flavor's object class AND the
 * operator's filter (validated, never concatenated as text) AND the name attribute present.
 * AD's disabled computer accounts (userAccountControl bit 2) are dropped by {@link #disabled}
 * on the answers rather than with a bitwise matching rule, which not every server implements.
 */
public final class LdapFilters {
  public static final String AD_ACCOUNT_CONTROL = "userAccountControl";
  private static final int ACCOUNTDISABLE = 2;

  private LdapFilters() {}

  /** The filter to search with; throws {@link IllegalArgumentException} with the reason when {@code userFilter} is not RFC 4515. */
  public static Filter build(LdapQuery.Flavor flavor, String userFilter, String nameAttribute) {
    List<Filter> parts = new ArrayList<>();
    try {
      parts.add(Filter.create(flavor.objectClassFilter()));
      if (userFilter != null && !userFilter.isBlank()) {
        parts.add(Filter.create(userFilter.trim()));
      }
    } catch (LDAPException e) {
      throw new IllegalArgumentException("filter is not a valid LDAP filter: " + e.getDiagnosticMessage());
    }
    parts.add(Filter.createPresenceFilter(nameAttribute));
    return Filter.createANDFilter(parts);
  }

  /** Whether an AD userAccountControl value marks a disabled account (absent or unparsable: not disabled). */
  public static boolean disabled(String userAccountControl) {
    try {
      return userAccountControl != null && (Integer.parseInt(userAccountControl.trim()) & ACCOUNTDISABLE) != 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** An equality filter with the value escaped (a host name containing '*' or ')' matches only itself). */
  public static Filter nameEquals(String attribute, String value) {
    return Filter.createEqualityFilter(attribute, value);
  }
}
