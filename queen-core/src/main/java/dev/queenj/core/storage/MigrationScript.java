package dev.queenj.core.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A numbered schema script as this build ships it, with its checksum: the SHA-256 (hex) of its text. Every byte
 * counts, whitespace and comments included: telling a harmless edit from a harmful one would take parsing SQL, and a
 * script that is byte for byte the one applied needs no judgement at all. A change to the schema goes in a new script.
 */
record MigrationScript(String name, String sql, String checksum) {
  private static final String DIRECTORY = "migration/";

  static MigrationScript shipped(String name) {
    String sql = Sql.load(Migrations.class, DIRECTORY + name);
    return new MigrationScript(name, sql, checksum(sql));
  }

  static String checksum(String sql) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
