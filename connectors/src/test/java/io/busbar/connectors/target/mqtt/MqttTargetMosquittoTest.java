package io.busbar.connectors.target.mqtt;

import io.busbar.support.testing.LocalService;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MQTT target against Mosquitto on 127.0.0.1:1883 ({@code .ci/run} starts it); skipped where it does not run. */
class MqttTargetMosquittoTest extends MqttTargetContract {

    @RegisterExtension
    static final LocalService MOSQUITTO = LocalService.required("Mosquitto", 1883, "start it to run these tests");

    @Override
    protected String brokerUrl() {
        return "tcp://" + MOSQUITTO.address();
    }
}
