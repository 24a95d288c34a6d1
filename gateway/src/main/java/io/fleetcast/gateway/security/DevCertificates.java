package io.fleetcast.gateway.security;

import io.fleetcast.protocol.net.IpLiteral;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed development CA and a server certificate signed by it ({@code fleetcast gen-certs}).
 * Keys are EC P-256, made and signed by the JDK's own providers; BouncyCastle only assembles the
 * X.509 structures (it is not registered as a JCE provider). The server certificate is valid for
 * TLS server and client authentication, so one file pair serves the API, the agent port and the
 * mutually authenticated event bus of a development cluster.
 *
 * <p>Files: {@code ca.pem}, {@code ca-key.pem} (0600, kept so that a later run re-issues the server
 * certificate under the same CA and pinned agents keep working), {@code server.pem} (leaf then CA:
 * the chain a server presents), {@code server-key.pem} (PKCS#8, 0600).
 */
public final class DevCertificates {
  public static final String CA_FILE = "ca.pem";
  public static final String CA_KEY_FILE = "ca-key.pem";
  public static final String SERVER_FILE = "server.pem";
  public static final String SERVER_KEY_FILE = "server-key.pem";

  private static final Pattern DNS = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a run produced. */
  public record Result(Path caFile, Path serverFile, Path serverKeyFile, X509Certificate ca, X509Certificate server,
      boolean caReused) {
    /** The SHA-256 fingerprint of the CA certificate, lower-case hex: what agents pin. */
    public String caSha256() {
      return Fingerprints.sha256(ca);
    }
  }

  private DevCertificates() {}

  /**
   * Writes the CA (or reuses the one in {@code dir} unless {@code newCa}) and a server certificate
   * for {@code hosts} (IP literals and DNS names) valid for {@code validity}.
   */
  public static Result generate(Path dir, List<String> hosts, Duration validity, boolean newCa) {
    List<GeneralName> names = subjectAltNames(hosts);
    try {
      Files.createDirectories(dir);
      Path caFile = dir.resolve(CA_FILE);
      Path caKeyFile = dir.resolve(CA_KEY_FILE);
      X509Certificate ca;
      PrivateKey caKey;
      boolean reused = !newCa && Files.exists(caFile) && Files.exists(caKeyFile);
      if (reused) {
        ca = readCertificate(caFile);
        caKey = readPrivateKey(caKeyFile);
      } else {
        KeyPair pair = ecKeyPair();
        ca = caCertificate(pair);
        caKey = pair.getPrivate();
        writeSecret(caKeyFile, pem("PRIVATE KEY", caKey.getEncoded()));
        writePublic(caFile, pem("CERTIFICATE", ca.getEncoded()));
      }
      KeyPair serverPair = ecKeyPair();
      X509Certificate server = serverCertificate(serverPair.getPublic(), hosts.get(0).trim(), names, ca, caKey, validity);
      server.verify(ca.getPublicKey());
      Path serverKeyFile = dir.resolve(SERVER_KEY_FILE);
      Path serverFile = dir.resolve(SERVER_FILE);
      writeSecret(serverKeyFile, pem("PRIVATE KEY", serverPair.getPrivate().getEncoded()));
      writePublic(serverFile, pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
      return new Result(caFile, serverFile, serverKeyFile, ca, server, reused);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write certificates to " + dir + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make certificates: " + e.getMessage(), e);
    }
  }

  /** Subject alternative names for the hosts; refuses anything that is neither an IP literal nor a DNS name. */
  static List<GeneralName> subjectAltNames(List<String> hosts) {
    if (hosts == null || hosts.isEmpty()) {
      throw new IllegalArgumentException("name at least one host (--hosts 127.0.0.1,localhost)");
    }
    List<GeneralName> out = new ArrayList<>();
    for (String raw : hosts) {
      String h = raw.trim();
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      if (IpLiteral.isLiteral(h)) {
        out.add(new GeneralName(GeneralName.iPAddress, h));
      } else if (h.length() <= 253 && DNS.matcher(h).matches()) {
        out.add(new GeneralName(GeneralName.dNSName, h.toLowerCase(Locale.ROOT)));
      } else {
        throw new IllegalArgumentException("not an IP address or DNS name: '" + raw + "'");
      }
    }
    return out;
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate caCertificate(KeyPair pair)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    String suffix = HexFormat.of().formatHex(randomBytes(4));
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Fleetcast development")
        .addRDN(BCStyle.CN, "Fleetcast development CA " + suffix).build();
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
    return sign(b, pair.getPrivate());
  }

  private static X509Certificate serverCertificate(PublicKey key, String cn, List<GeneralName> names, X509Certificate ca,
      PrivateKey caKey, Duration validity) throws GeneralSecurityException, OperatorCreationException, CertIOException {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Fleetcast development")
        .addRDN(BCStyle.CN, cn).build();
    Instant now = Instant.now();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(notAfter), subject, key);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
    return sign(b, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
  }

  private static BigInteger serial() {
    return new BigInteger(1, randomBytes(16));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The first certificate of a PEM file. */
  public static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file);
    if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException(file + " is not a PKCS#8 private key");
    }
    String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  /** Writes a key file readable by its owner only: created 0600 before any byte is in it, then moved into place. */
  private static void writeSecret(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create " + tmp, e);
    }
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writePublic(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
