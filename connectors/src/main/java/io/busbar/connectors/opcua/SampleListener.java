package io.busbar.connectors.opcua;

import io.busbar.mappings.model.RawSample;
import io.busbar.mappings.model.ServerRole;
import java.util.List;

/**
 * Receives the values an {@link OpcUaSource} subscription delivers.
 *
 * <p>Called once per publish response with all its data changes, so a listener can make a whole
 * batch durable at once. Calls for one subscription are serial, on a Milo thread: do not block for
 * long, or later notifications and publish requests wait.
 */
@FunctionalInterface
public interface SampleListener {

    /**
     * @param role which server of the pair delivered the batch
     * @param batch the data changes of one publish response, in the server's order; never empty
     */
    void onSamples(ServerRole role, List<RawSample> batch);

    /**
     * Publish responses of the server were lost for good: the client saw a gap in their sequence
     * numbers and the server could no longer republish them (its retransmission queue had dropped
     * them, or the session was renewed). Values the server sampled meanwhile never arrive; a listener
     * that must not lose them reads that time back from history.
     *
     * @param role which server lost them
     */
    default void onSamplesLost(ServerRole role) {
    }
}
