package dev.queenj.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeyTypeException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.Key;
import java.security.interfaces.EdECPublicKey;
import java.util.HashSet;
import java.util.Set;

/** Nimbus' verifiers for HMAC and RSA, ours ({@link EdDsaVerifier}, on the JDK) for EdDSA. */
final class VerifierFactory implements JWSVerifierFactory {
  private final DefaultJWSVerifierFactory nimbus = new DefaultJWSVerifierFactory();
  private final Set<JWSAlgorithm> algorithms;

  VerifierFactory() {
    Set<JWSAlgorithm> all = new HashSet<>(nimbus.supportedJWSAlgorithms());
    all.addAll(EdDsaKeys.ALGORITHMS);
    algorithms = Set.copyOf(all);
  }

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    if (EdDsaKeys.ALGORITHMS.contains(header.getAlgorithm())) {
      if (!(key instanceof EdECPublicKey ed)) {
        throw new KeyTypeException(EdECPublicKey.class);
      }
      return new EdDsaVerifier(ed);
    }
    return nimbus.createJWSVerifier(header, key);
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return algorithms;
  }

  @Override
  public JCAContext getJCAContext() {
    return nimbus.getJCAContext();
  }
}
