package dev.queenj.kafka.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA with a server certificate for {@code localhost} and a client certificate, made with the
 * {@code openssl} command at test time (no private key is committed). PEM files, keys in PKCS#8.
 */
public final class TestCertificates {
  public static final String CLIENT_SUBJECT = "CN=alice,OU=eng,O=queen-test";
  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  public static TestCertificates create() {
    try {
      Files.createDirectories(Path.of("target"));
      TestCertificates made = new TestCertificates(Files.createTempDirectory(Path.of("target"), "tls-"));
      made.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=queen-test-ca", "-days", "2");
      made.signed("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
      made.signed("client", "/O=queen-test/OU=eng/CN=alice", "extendedKeyUsage=clientAuth");
      // what a Kafka client's ssl.keystore.type=PEM ssl.keystore.location names: the key, then the chain
      Files.writeString(made.file("client-keystore.pem"), made.pem("client.key") + made.pem("client.pem"));
      return made;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void signed(String name, String subject, String extension) throws IOException {
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
    Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
  }

  private void openssl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public String pem(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
