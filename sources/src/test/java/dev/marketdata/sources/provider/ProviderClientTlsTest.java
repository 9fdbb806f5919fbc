package dev.marketdata.sources.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.sources.provider.ProviderSettings.HttpSettings;
import dev.marketdata.sources.provider.fake.FakeIbkrServer;
import dev.marketdata.sources.provider.ibkr.IbkrBarsProtocol;
import java.io.InputStream;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --ibkr-trust-self-signed} against a fake gateway speaking HTTPS at {@code https://localhost:PORT} with
 * certificates made by the JDK's {@code keytool} ({@code provider/ibkr/tls/make-certificates.sh} in the test
 * resources), none of which names {@code localhost} (as the Client Portal gateway's own does not): the self-signed one is trusted with the flag only; an expired self-signed one and one
 * from an unknown authority never are. An untrusted certificate fails the call at once (no retry can change it).
 */
class ProviderClientTlsTest {

    private static final String PASSWORD = "changeit";
    private static final String SEARCH = "[{\"conid\":\"265598\",\"symbol\":\"AAPL\",\"description\":\"NASDAQ\"}]";

    private static SSLContext selfSigned;
    private static SSLContext expired;
    private static SSLContext unknownAuthority;

    @BeforeAll
    static void loadCertificates() throws Exception {
        selfSigned = serverContext("self-signed.p12");
        expired = serverContext("expired.p12");
        unknownAuthority = serverContext("unknown-authority.p12");
    }

    private static SSLContext serverContext(String keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = ProviderClientTlsTest.class.getResourceAsStream("/provider/ibkr/tls/" + keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static ProviderClient client(FakeIbkrServer gateway, boolean trustSelfSigned) {
        ProviderSettings settings = new ProviderSettings(
                gateway.baseUrl(),
                Credentials.none(),
                List.of("AAPL"),
                "1m",
                Instant.parse("2024-03-01T05:00:00Z"),
                Instant.parse("2024-03-02T05:00:00Z"),
                Map.of(),
                600,
                new HttpSettings(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(5),
                        Duration.ofMillis(20),
                        2,
                        trustSelfSigned));
        return new ProviderClient(
                IbkrBarsProtocol.defaults(),
                settings,
                new ProviderMetrics(new RecordingMetricGroup(), Provider.IBKR),
                new RateLimiter(600));
    }

    private static HttpAnswer search(ProviderClient client) throws Exception {
        return client.call(IbkrBarsProtocol.defaults().lookupRequest("AAPL"), "AAPL", false)
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void theGatewaysSelfSignedCertificateForAnotherHostIsTrustedWithTheFlagOnly() throws Exception {
        try (FakeIbkrServer gateway = new FakeIbkrServer(selfSigned)) {
            gateway.addSearch("AAPL", SEARCH);
            assertThat(gateway.baseUrl()).startsWith("https://localhost:");

            assertThat(new String(search(client(gateway, true)).body())).isEqualTo(SEARCH);

            long start = System.nanoTime();
            assertThatThrownBy(() -> search(client(gateway, false)))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(ProviderFatalException.class)
                    .hasMessageStartingWith("ibkr: AAPL: the server's TLS certificate is not trusted (")
                    .hasMessageContaining("give --ibkr-trust-self-signed to trust it")
                    .hasMessageEndingWith("(GET /iserver/secdef/search)");
            // At once, not after the retry budget (30 s here).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(gateway.http().count("/iserver/secdef/search")).isEqualTo(1);
        }
    }

    @Test
    void anExpiredOrAnUnknownAuthoritysCertificateIsNeverTrusted() throws Exception {
        for (SSLContext tls : List.of(expired, unknownAuthority)) {
            try (FakeIbkrServer gateway = new FakeIbkrServer(tls)) {
                gateway.addSearch("AAPL", SEARCH);
                assertThatThrownBy(() -> search(client(gateway, true)))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(ProviderFatalException.class)
                        .hasMessageStartingWith("ibkr: AAPL: the server's TLS certificate is not trusted (")
                        .hasMessageNotContaining("give --ibkr-trust-self-signed");
                assertThat(gateway.http().requests()).isEmpty();
            }
        }
    }
}
