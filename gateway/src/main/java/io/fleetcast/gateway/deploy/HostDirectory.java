package io.fleetcast.gateway.deploy;

import java.util.List;

/** A directory to discover computers in (the LDAP seam; blocking, called on a worker thread). */
public interface HostDirectory {

  /** The computers the query finds, at most {@code query.maxHosts()}; throws {@link DirectoryException}. */
  List<DiscoveredHost> search(LdapQuery query);

  /** The directory could not be searched (unreachable, bind refused, bad base DN). */
  final class DirectoryException extends RuntimeException {
    public DirectoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
