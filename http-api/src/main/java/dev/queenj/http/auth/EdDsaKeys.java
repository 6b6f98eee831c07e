package dev.queenj.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Edwards-curve public keys (RFC 8037) as the JDK reads them, so that EdDSA tokens are verified by the JDK's own
 * Ed25519/Ed448 and not by Nimbus' Tink-based verifier. An OKP JWK's raw {@code x} becomes an X.509
 * SubjectPublicKeyInfo by a fixed DER prefix (RFC 8410); nothing else is converted.
 */
final class EdDsaKeys {
  /** The algorithms of EdDSA tokens: Queen's {@code EdDSA} (either curve) and the fully-specified RFC 9864 ones. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.Ed448);

  private static final Map<Curve, byte[]> SPKI_PREFIX = Map.of(
      Curve.Ed25519, HexFormat.of().parseHex("302a300506032b6570032100"),
      Curve.Ed448, HexFormat.of().parseHex("3043300506032b6571033a00"));
  private static final Map<Curve, Integer> KEY_BYTES = Map.of(Curve.Ed25519, 32, Curve.Ed448, 57);

  private EdDsaKeys() {}

  /** The curves a token of this algorithm may be signed on. */
  static Set<Curve> curvesFor(JWSAlgorithm alg) {
    if (JWSAlgorithm.Ed25519.equals(alg)) {
      return Set.of(Curve.Ed25519);
    }
    if (JWSAlgorithm.Ed448.equals(alg)) {
      return Set.of(Curve.Ed448);
    }
    return JWSAlgorithm.EdDSA.equals(alg) ? Set.of(Curve.Ed25519, Curve.Ed448) : Set.of();
  }

  /** Whether a token with this algorithm may have been signed by this key. */
  static boolean fits(JWSAlgorithm alg, PublicKey key) {
    return key instanceof EdECPublicKey ed && curvesFor(alg).contains(Curve.parse(ed.getParams().getName()));
  }

  /** The public key of an OKP JWK on Ed25519 or Ed448. */
  static PublicKey fromJwk(OctetKeyPair jwk) throws GeneralSecurityException {
    byte[] prefix = SPKI_PREFIX.get(jwk.getCurve());
    if (prefix == null) {
      throw new GeneralSecurityException("not a signing curve: " + jwk.getCurve());
    }
    byte[] x = jwk.getDecodedX();
    if (x.length != KEY_BYTES.get(jwk.getCurve())) {
      throw new GeneralSecurityException(jwk.getCurve() + " public key of " + x.length + " bytes, expected "
          + KEY_BYTES.get(jwk.getCurve()));
    }
    byte[] der = new byte[prefix.length + x.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(x, 0, der, prefix.length, x.length);
    return fromSpki(der);
  }

  /** An X.509 SubjectPublicKeyInfo holding an Ed25519 or Ed448 key. */
  static PublicKey fromSpki(byte[] der) throws GeneralSecurityException {
    return KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(der));
  }
}
