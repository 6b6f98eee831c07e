package dev.queenj.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verifying keys (RSA, and OKP on Ed25519/Ed448) published at JWT_JWKS_URL: fetched at start, every
 * JWT_JWKS_REFRESH_INTERVAL seconds, and when a token names a key id not seen yet (key rotation). Fetches run on a
 * worker thread, bounded by JWT_JWKS_TIMEOUT_MS for the connection and again for the read; at most one runs at a
 * time, concurrent asks share it. A failed fetch keeps the keys fetched before.
 */
final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);
  /** A JWKS is a few kB; a larger answer is not one. */
  private static final int SIZE_LIMIT = 1024 * 1024;

  private final Vertx vertx;
  private final URI url;
  private final int timeoutMs;
  private final long timer;
  private volatile JWKSet keys = new JWKSet();
  private Future<Void> fetching;

  JwksCache(Vertx vertx, String url, int timeoutMs, int refreshSeconds) {
    this.vertx = vertx;
    this.url = URI.create(url);
    this.timeoutMs = timeoutMs;
    refresh();
    this.timer = vertx.setPeriodic(refreshSeconds * 1000L, id -> refresh());
  }

  /**
   * The keys of the last fetch that may have signed a token with this header (by kid, key type, alg, use, and for
   * EdDSA the curve); Nimbus converts RSA keys, {@link EdDsaKeys} the OKP ones.
   */
  List<Key> keysFor(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    if (!EdDsaKeys.ALGORITHMS.contains(alg)) {
      return KeyConverter.toJavaKeys(new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys));
    }
    JWKMatcher okp = new JWKMatcher.Builder().keyType(KeyType.OKP).curves(EdDsaKeys.curvesFor(alg))
        .keyID(header.getKeyID()).keyUses(KeyUse.SIGNATURE, null).algorithms(alg, JWSAlgorithm.EdDSA, null).build();
    List<Key> converted = new ArrayList<>();
    for (JWK jwk : new JWKSelector(okp).select(keys)) {
      try {
        converted.add(EdDsaKeys.fromJwk(jwk.toOctetKeyPair()));
      } catch (GeneralSecurityException e) {
        LOG.debug("JWKS key {} from {} skipped: {}", jwk.getKeyID(), url, e.getMessage());
      }
    }
    return converted;
  }

  /** Fetches the JWKS again, or joins the fetch already running; a failure is logged and the old keys stay. */
  synchronized Future<Void> refresh() {
    if (fetching == null) {
      fetching = vertx.<JWKSet>executeBlocking(() -> JWKSet.load(url.toURL(), timeoutMs, timeoutMs, SIZE_LIMIT),
          false).map(loaded -> {
            keys = loaded;
            LOG.debug("JWKS from {}: {} keys", url, loaded.size());
            return (Void) null;
          }).onComplete(done -> {
            synchronized (this) {
              fetching = null;
            }
            if (done.failed()) {
              LOG.warn("JWKS from {} could not be fetched, keeping the {} keys fetched before (tokens signed with "
                  + "another key are refused until it can): {}", url, keys.size(), done.cause().toString());
            }
          });
    }
    return fetching;
  }

  void close() {
    vertx.cancelTimer(timer);
  }
}
