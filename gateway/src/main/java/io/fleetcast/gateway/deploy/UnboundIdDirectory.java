package io.fleetcast.gateway.deploy;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link HostDirectory} over UnboundID's LDAP SDK: ldap:// or ldaps:// (the JVM's trust store),
 * simple bind, subtree search with the simple paged results control (AD answers at most 1,000
 * entries per page), bounded by {@code maxHosts} and a time limit per request.
 */
public final class UnboundIdDirectory implements HostDirectory {
  private final int timeoutMillis;

  public UnboundIdDirectory(int timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public List<DiscoveredHost> search(LdapQuery q) {
    LDAPURL url;
    try {
      url = new LDAPURL(q.url());
    } catch (LDAPException e) {
      throw new DirectoryException("url is not an LDAP URL: " + e.getDiagnosticMessage(), e);
    }
    LDAPConnectionOptions opts = new LDAPConnectionOptions();
    opts.setConnectTimeoutMillis(timeoutMillis);
    opts.setResponseTimeoutMillis(timeoutMillis);
    String[] attrs = q.ipAttribute() == null ? new String[] {q.nameAttribute(), LdapFilters.AD_ACCOUNT_CONTROL}
        : new String[] {q.nameAttribute(), LdapFilters.AD_ACCOUNT_CONTROL, q.ipAttribute()};
    try (LDAPConnection c = connect(url, opts)) {
      if (q.bindDn() != null && !q.bindDn().isBlank()) {
        c.bind(q.bindDn(), q.bindPassword() == null ? "" : q.bindPassword());
      }
      List<DiscoveredHost> out = new ArrayList<>();
      ASN1OctetString cookie = null;
      int pages = 0;
      do {
        SearchRequest req = new SearchRequest(q.baseDn(), SearchScope.SUB,
            LdapFilters.build(q.flavor(), q.filter(), q.nameAttribute()), attrs);
        req.setTimeLimitSeconds(Math.max(1, timeoutMillis / 1000));
        req.addControl(new SimplePagedResultsControl(q.pageSize(), cookie));
        SearchResult page = c.search(req);
        for (SearchResultEntry e : page.getSearchEntries()) {
          if (out.size() >= q.maxHosts()) {
            return out;
          }
          String name = e.getAttributeValue(q.nameAttribute());
          String ip = q.ipAttribute() == null ? null : e.getAttributeValue(q.ipAttribute());
          boolean disabled = q.flavor() == LdapQuery.Flavor.AD
              && LdapFilters.disabled(e.getAttributeValue(LdapFilters.AD_ACCOUNT_CONTROL));
          if (name != null && !name.isBlank() && !disabled) {
            out.add(new DiscoveredHost(name, ip, "ldap"));
          }
        }
        SimplePagedResultsControl paged = SimplePagedResultsControl.get(page);
        cookie = paged == null || !paged.moreResultsToReturn() ? null : paged.getCookie();
      } while (cookie != null && ++pages < 10_000);
      return out;
    } catch (LDAPException e) {
      throw new DirectoryException("LDAP search failed: " + e.getResultCode() + " " + e.getDiagnosticMessage(), e);
    }
  }

  private static LDAPConnection connect(LDAPURL url, LDAPConnectionOptions opts) throws LDAPException {
    if ("ldaps".equalsIgnoreCase(url.getScheme())) {
      try {
        SSLUtil ssl = new SSLUtil(new TrustStoreTrustManager(System.getProperty("java.home") + "/lib/security/cacerts"));
        return new LDAPConnection(ssl.createSSLSocketFactory(), opts, url.getHost(), url.getPort());
      } catch (GeneralSecurityException e) {
        throw new DirectoryException("cannot set up TLS for " + url.getHost() + ": " + e.getMessage(), e);
      }
    }
    return new LDAPConnection(opts, url.getHost(), url.getPort());
  }
}
