package io.busbar.routes.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;

/** A raw sample as JSON, for the dead letter of a value that could not be mapped. */
final class RawSamples {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_VALUE_TEXT = 200;

    private RawSamples() {
    }

    static byte[] toJson(ServerRole server, RawSample sample) {
        ObjectNode node = JSON.createObjectNode();
        node.put("server", server.wireName());
        node.put("nodeId", sample.nodeId());
        String value = String.valueOf(sample.value());
        node.put("value", value.length() > MAX_VALUE_TEXT ? value.substring(0, MAX_VALUE_TEXT) + "…" : value);
        node.put("valueType", sample.value() == null ? null : sample.value().getClass().getSimpleName());
        node.put("sourceTime", sample.sourceTime() == null ? null : sample.sourceTime().toString());
        node.put("serverTime", sample.serverTime() == null ? null : sample.serverTime().toString());
        node.put("status", sample.statusCode());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
