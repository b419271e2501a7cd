package io.busbar.connectors.target.mqtt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;

/** The MQTT target against Mosquitto on 127.0.0.1:1883 ({@code .ci/run} starts it); skipped where it does not run. */
class MqttTargetMosquittoTest extends MqttTargetContract {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 1883;

    @BeforeAll
    static void mosquittoRuns() {
        assumeTrue(portOpen(), "Mosquitto is not listening on " + HOST + ":" + PORT + "; start it to run these tests");
    }

    @Override
    protected String brokerUrl() {
        return "tcp://" + HOST + ":" + PORT;
    }

    private static boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
