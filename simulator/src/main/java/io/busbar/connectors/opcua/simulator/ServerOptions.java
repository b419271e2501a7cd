package io.busbar.connectors.opcua.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The options of a {@link SimulatedScadaServer}, set through its {@link SimulatedScadaServer.Builder}
 * (which adds {@code build()}). By default the server offers security policy None with anonymous
 * access only.
 */
abstract sealed class ServerOptions permits SimulatedScadaServer.Builder {

    int port;
    int meterCount = SimulatedScadaServer.DEFAULT_METER_COUNT;
    String applicationName = "busbar-simulator";
    String hostname = SimulatedScadaServer.DEFAULT_HOSTNAME;
    Clock clock = Clock.systemUTC();
    Instant historyStart;
    Predicate<String> historized = nodeId -> true;
    SimulatedScadaServer.NodeChurn nodeChurn = SimulatedScadaServer.NodeChurn.NONE;
    boolean hangable;
    boolean roleActive = true;
    Duration updateInterval = SimulatedScadaServer.DEFAULT_UPDATE_INTERVAL;
    boolean pushUpdates;
    boolean secured;
    String username;
    String password;

    /** The TCP port; 0 (the default) picks a free one, which stays the same across restarts. */
    public SimulatedScadaServer.Builder port(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.port = port;
        return self();
    }

    public SimulatedScadaServer.Builder meterCount(int meterCount) {
        if (meterCount < 0) {
            throw new IllegalArgumentException("meterCount must not be negative, was " + meterCount);
        }
        this.meterCount = meterCount;
        return self();
    }

    /**
     * How often every value changes (default 1 s): a whole number of milliseconds from 1 ms to
     * 1 h. Values stay a pure function of meter and slot, so two servers with the same interval
     * agree; for load tests, e.g. 100 ms for 10 updates per second.
     */
    public SimulatedScadaServer.Builder updateInterval(Duration updateInterval) {
        Objects.requireNonNull(updateInterval, "updateInterval");
        if (updateInterval.compareTo(Duration.ofMillis(1)) < 0 || updateInterval.compareTo(Duration.ofHours(1)) > 0
                || updateInterval.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    "updateInterval must be a whole number of milliseconds from 1 ms to 1 h, was " + updateInterval);
        }
        this.updateInterval = updateInterval;
        return self();
    }

    /**
     * Hands every update of a meter variable to the items monitoring its value at once, like a
     * server that reports by exception, instead of sampling it at the item's sampling interval
     * (the default, and what most tests want). Every update then makes exactly one notification
     * and the server spends nothing on sampling: for load tests with many fast-changing tags.
     */
    public SimulatedScadaServer.Builder pushUpdates(boolean pushUpdates) {
        this.pushUpdates = pushUpdates;
        return self();
    }

    /** Names the server in logs, its thread and its application URI, e.g. "primary". */
    public SimulatedScadaServer.Builder applicationName(String applicationName) {
        this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
        return self();
    }

    /** The host name in the endpoint URL, also the address the endpoint binds to. */
    public SimulatedScadaServer.Builder hostname(String hostname) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        return self();
    }

    /** The clock that decides the source time of published values and "now" for history. */
    public SimulatedScadaServer.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The oldest instant HistoryRead returns values for; by default the server's construction. */
    public SimulatedScadaServer.Builder historyStart(Instant historyStart) {
        this.historyStart = Objects.requireNonNull(historyStart, "historyStart");
        return self();
    }

    /** The initial role tag value (default true). */
    public SimulatedScadaServer.Builder roleActive(boolean roleActive) {
        this.roleActive = roleActive;
        return self();
    }

    /**
     * Whether the meter variables are historized (default true); without history HistoryRead
     * answers {@code Bad_HistoryOperationUnsupported} for every node. Replaces {@link
     * #historized}: the last of the two called wins.
     */
    public SimulatedScadaServer.Builder withHistory(boolean withHistory) {
        this.historized = withHistory ? nodeId -> true : null;
        return self();
    }

    /**
     * Historizes only the meter variables whose node id (e.g. {@code ns=2;s=Meter001.Power})
     * passes the test, e.g. {@code historized(SimulatedScadaServer::isEnergyNode)} for a server
     * that keeps energy registers but not instantaneous power. The other variables answer
     * HistoryRead with {@code Bad_HistoryOperationUnsupported}, node by node. Replaces {@link
     * #withHistory}: the last of the two called wins.
     */
    public SimulatedScadaServer.Builder historized(Predicate<String> nodeIds) {
        this.historized = Objects.requireNonNull(nodeIds, "nodeIds");
        return self();
    }

    /** Whether the meter nodes exist only while the role is active (default {@link SimulatedScadaServer.NodeChurn#NONE}). */
    public SimulatedScadaServer.Builder nodeChurn(SimulatedScadaServer.NodeChurn nodeChurn) {
        this.nodeChurn = Objects.requireNonNull(nodeChurn, "nodeChurn");
        return self();
    }

    /**
     * Puts a relay in front of the server so that {@link SimulatedScadaServer#hang()} can stop every byte while the
     * port stays open (default false: clients connect to the server directly).
     */
    public SimulatedScadaServer.Builder hangable(boolean hangable) {
        this.hangable = hangable;
        return self();
    }

    /**
     * Also offers Basic256Sha256 and Aes256_Sha256_RsaPss endpoints (sign and encrypt) with a
     * self-signed certificate, see {@link SimulatedScadaServer#serverCertificate()}. Every client certificate is
     * accepted.
     */
    public SimulatedScadaServer.Builder secured(boolean secured) {
        this.secured = secured;
        return self();
    }

    /** Also accepts this user, besides anonymous access. */
    public SimulatedScadaServer.Builder user(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        return self();
    }

    private SimulatedScadaServer.Builder self() {
        return (SimulatedScadaServer.Builder) this;
    }
}
