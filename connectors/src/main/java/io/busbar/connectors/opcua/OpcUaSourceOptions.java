package io.busbar.connectors.opcua;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link OpcUaSource} talks to its server. Build with {@link #builder(String)}; every option
 * has a default chosen for a SCADA pair whose values change about once a second.
 *
 * <p>With the default keep-alive settings a server that dies without closing its connection is
 * noticed within about 2 s: Milo sends a keep-alive read every {@link #keepAliveInterval()} and
 * gives up after two in a row time out after {@link #keepAliveTimeout()}. A server that closes the
 * connection (a normal shutdown) is noticed at once.
 *
 * @param endpointUrl the server's endpoint, e.g. {@code opc.tcp://scada-a:4840/busbar}
 * @param securityPolicy the policy to use; secured policies sign and encrypt
 * @param username the user name, or null for anonymous access
 * @param password the password for {@code username}; never logged, masked in {@link #toString()}
 * @param pkiDirectory where the client certificate and the trust list live; required for secured
 *     policies (trust a server by copying its certificate into {@code trusted/certs})
 * @param publishingInterval how often the server sends the collected data changes
 * @param samplingInterval how often the server samples each node; keep it below the rate the
 *     values change at, or changes are missed
 * @param queueSize values the server keeps per node between publishes
 * @param keepAliveInterval how often the session is checked
 * @param keepAliveTimeout how long a keep-alive may take before it counts as failed
 * @param requestTimeout how long any other request may take
 * @param connectTimeout how long opening the TCP connection may take
 * @param retryDelay the first delay before connecting again after a failed attempt; doubles per
 *     failure up to {@code maxRetryDelay}
 * @param maxRetryDelay the longest delay between connection attempts
 * @param itemRetryInterval the first delay before a dead monitored item (its node unknown to the
 *     server, or gone) is created again; doubles per refusal up to {@code maxItemRetryInterval}
 * @param maxItemRetryInterval the longest delay between attempts to create a dead item again
 * @param historyPageSize the most values per node one HistoryRead response may carry; more are
 *     fetched with continuation points
 */
public record OpcUaSourceOptions(
        String endpointUrl,
        OpcUaSecurityPolicy securityPolicy,
        String username,
        String password,
        Path pkiDirectory,
        Duration publishingInterval,
        Duration samplingInterval,
        int queueSize,
        Duration keepAliveInterval,
        Duration keepAliveTimeout,
        Duration requestTimeout,
        Duration connectTimeout,
        Duration retryDelay,
        Duration maxRetryDelay,
        Duration itemRetryInterval,
        Duration maxItemRetryInterval,
        int historyPageSize) {

    public static final OpcUaSecurityPolicy DEFAULT_SECURITY_POLICY = OpcUaSecurityPolicy.NONE;
    public static final Duration DEFAULT_PUBLISHING_INTERVAL = Duration.ofMillis(1000);
    /** Half the simulator's and a typical SCADA's one-second update rate, so no change is missed. */
    public static final Duration DEFAULT_SAMPLING_INTERVAL = Duration.ofMillis(500);
    /** Covers several seconds of values should a publish be late. */
    public static final int DEFAULT_QUEUE_SIZE = 10;
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofMillis(1000);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(16);
    public static final Duration DEFAULT_ITEM_RETRY_INTERVAL = Duration.ofSeconds(5);
    /**
     * Bounds what a node deleted for a long time costs the server; at a switchover the items of the
     * newly active server are created again at once ({@link SourceSubscription#recreateItems}).
     */
    public static final Duration DEFAULT_MAX_ITEM_RETRY_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_HISTORY_PAGE_SIZE = 1000;

    public OpcUaSourceOptions {
        Objects.requireNonNull(endpointUrl, "endpointUrl");
        if (!endpointUrl.startsWith("opc.tcp://")) {
            throw new IllegalArgumentException("endpointUrl must start with opc.tcp://, was " + endpointUrl);
        }
        Objects.requireNonNull(securityPolicy, "securityPolicy");
        if (securityPolicy.isSecured() && pkiDirectory == null) {
            throw new IllegalArgumentException("securityPolicy " + securityPolicy + " needs a pkiDirectory");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password must be given together");
        }
        requirePositive("publishingInterval", publishingInterval);
        requirePositive("samplingInterval", samplingInterval);
        requirePositive("keepAliveInterval", keepAliveInterval);
        requirePositive("keepAliveTimeout", keepAliveTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("retryDelay", retryDelay);
        requirePositive("maxRetryDelay", maxRetryDelay);
        requirePositive("itemRetryInterval", itemRetryInterval);
        requirePositive("maxItemRetryInterval", maxItemRetryInterval);
        if (maxRetryDelay.compareTo(retryDelay) < 0) {
            throw new IllegalArgumentException("maxRetryDelay must not be shorter than retryDelay");
        }
        if (maxItemRetryInterval.compareTo(itemRetryInterval) < 0) {
            throw new IllegalArgumentException("maxItemRetryInterval must not be shorter than itemRetryInterval");
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be positive, was " + queueSize);
        }
        if (historyPageSize < 1) {
            throw new IllegalArgumentException("historyPageSize must be positive, was " + historyPageSize);
        }
    }

    /** All defaults: security policy None, anonymous. */
    public static Builder builder(String endpointUrl) {
        return new Builder(endpointUrl);
    }

    public boolean hasCredentials() {
        return username != null;
    }

    /** Like the record's, but the password is masked. */
    @Override
    public String toString() {
        return "OpcUaSourceOptions[endpointUrl=" + endpointUrl
                + ", securityPolicy=" + securityPolicy
                + ", username=" + username
                + ", password=" + (password == null ? null : "****")
                + ", pkiDirectory=" + pkiDirectory
                + ", publishingInterval=" + publishingInterval
                + ", samplingInterval=" + samplingInterval
                + ", queueSize=" + queueSize
                + ", keepAliveInterval=" + keepAliveInterval
                + ", keepAliveTimeout=" + keepAliveTimeout
                + ", requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout
                + ", retryDelay=" + retryDelay
                + ", maxRetryDelay=" + maxRetryDelay
                + ", itemRetryInterval=" + itemRetryInterval
                + ", maxItemRetryInterval=" + maxItemRetryInterval
                + ", historyPageSize=" + historyPageSize + "]";
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Collects options; {@link #build()} validates them. */
    public static final class Builder {

        private final String endpointUrl;
        private OpcUaSecurityPolicy securityPolicy = DEFAULT_SECURITY_POLICY;
        private String username;
        private String password;
        private Path pkiDirectory;
        private Duration publishingInterval = DEFAULT_PUBLISHING_INTERVAL;
        private Duration samplingInterval = DEFAULT_SAMPLING_INTERVAL;
        private int queueSize = DEFAULT_QUEUE_SIZE;
        private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
        private Duration keepAliveTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
        private Duration itemRetryInterval = DEFAULT_ITEM_RETRY_INTERVAL;
        /** Null: the default, or {@code itemRetryInterval} when that is longer. */
        private Duration maxItemRetryInterval;
        private int historyPageSize = DEFAULT_HISTORY_PAGE_SIZE;

        private Builder(String endpointUrl) {
            this.endpointUrl = endpointUrl;
        }

        public Builder securityPolicy(OpcUaSecurityPolicy securityPolicy) {
            this.securityPolicy = securityPolicy;
            return this;
        }

        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        public Builder pkiDirectory(Path pkiDirectory) {
            this.pkiDirectory = pkiDirectory;
            return this;
        }

        public Builder publishingInterval(Duration publishingInterval) {
            this.publishingInterval = publishingInterval;
            return this;
        }

        public Builder samplingInterval(Duration samplingInterval) {
            this.samplingInterval = samplingInterval;
            return this;
        }

        public Builder queueSize(int queueSize) {
            this.queueSize = queueSize;
            return this;
        }

        public Builder keepAliveInterval(Duration keepAliveInterval) {
            this.keepAliveInterval = keepAliveInterval;
            return this;
        }

        public Builder keepAliveTimeout(Duration keepAliveTimeout) {
            this.keepAliveTimeout = keepAliveTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = retryDelay;
            return this;
        }

        public Builder maxRetryDelay(Duration maxRetryDelay) {
            this.maxRetryDelay = maxRetryDelay;
            return this;
        }

        public Builder itemRetryInterval(Duration itemRetryInterval) {
            this.itemRetryInterval = itemRetryInterval;
            return this;
        }

        public Builder maxItemRetryInterval(Duration maxItemRetryInterval) {
            this.maxItemRetryInterval = maxItemRetryInterval;
            return this;
        }

        public Builder historyPageSize(int historyPageSize) {
            this.historyPageSize = historyPageSize;
            return this;
        }

        public OpcUaSourceOptions build() {
            return new OpcUaSourceOptions(endpointUrl, securityPolicy, username, password, pkiDirectory,
                    publishingInterval, samplingInterval, queueSize, keepAliveInterval, keepAliveTimeout,
                    requestTimeout, connectTimeout, retryDelay, maxRetryDelay, itemRetryInterval,
                    maxItemRetryInterval != null ? maxItemRetryInterval : defaultMaxItemRetryInterval(), historyPageSize);
        }

        private Duration defaultMaxItemRetryInterval() {
            return itemRetryInterval != null && itemRetryInterval.compareTo(DEFAULT_MAX_ITEM_RETRY_INTERVAL) > 0
                    ? itemRetryInterval
                    : DEFAULT_MAX_ITEM_RETRY_INTERVAL;
        }
    }
}
