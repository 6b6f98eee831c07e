package dev.queenj.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Set;

/** Verifies an EdDSA signature (RFC 8037) with the JDK's Ed25519/Ed448; the curve is the key's. */
final class EdDsaVerifier implements JWSVerifier {
  private final PublicKey key;
  private final JCAContext jca = new JCAContext();

  EdDsaVerifier(PublicKey key) {
    this.key = key;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!EdDsaKeys.fits(header.getAlgorithm(), key)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("EdDSA");
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature.decode());
    } catch (SignatureException e) {
      return false; // a signature of the wrong length or encoding does not verify
    } catch (InvalidKeyException e) {
      throw new JOSEException("not an Ed25519 or Ed448 key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new JOSEException(e.getMessage(), e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return EdDsaKeys.ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
