package dev.marketdata.sources.provider;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of {@code --ibkr-trust-self-signed}, for the one HTTP client of a provider source that asks for it: a
 * server is trusted when the JDK's own trust does (the default trust store, <em>with</em> its hostname check), or
 * when it presents exactly one certificate, signed by itself and valid now, <em>whatever host it names</em>: the
 * Client Portal gateway's own certificate, which does not name {@code localhost}. Anything else is refused: a chain
 * from an unknown authority, an expired or not-yet-valid certificate, a forged self-signature.
 *
 * <p>Why a trust manager and not the JDK's switch: the HTTP client checks the host name inside the trust manager
 * when that is a plain {@code X509TrustManager} (JSSE wraps it with the check), and skips only for an
 * {@link X509ExtendedTrustManager}, which does its own; the other way, the system property
 * {@code jdk.internal.httpclient.disableHostnameVerification}, turns the check off for every client of the JVM
 * (Polygon's and Alpaca's too, in the same TaskManager).
 */
final class SelfSignedTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager platform;

    private SelfSignedTrust(X509ExtendedTrustManager platform) {
        this.platform = platform;
    }

    /** A TLS context with this trust, for one client. */
    static SSLContext context() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            X509ExtendedTrustManager platform = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    platform = x509;
                }
            }
            if (platform == null) {
                throw new IllegalStateException("the JDK has no X.509 trust manager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new SelfSignedTrust(platform)}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** Whether {@code chain} is one certificate, issued to itself, signed with its own key, and valid now. */
    static boolean selfSigned(X509Certificate[] chain) {
        if (chain == null || chain.length != 1) {
            return false;
        }
        X509Certificate certificate = chain[0];
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.checkValidity();
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException notValidOrNotSelfSigned) {
            return false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (!selfSigned(chain)) {
            platform.checkServerTrusted(chain, authType, engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (!selfSigned(chain)) {
            platform.checkServerTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (!selfSigned(chain)) {
            platform.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        platform.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        platform.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        platform.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return platform.getAcceptedIssuers();
    }
}
