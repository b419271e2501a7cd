/**
 * Busbar's OPC UA source: {@link io.busbar.connectors.opcua.OpcUaSource} connects to one server of a
 * redundant SCADA pair with the Eclipse Milo 1.x client, keeps its subscriptions alive across server
 * restarts, reads raw history for backfills and reports connection state and {@code ServiceLevel}
 * for the redundancy logic. Values leave this package as library-free
 * {@link io.busbar.mappings.model.RawSample}s.
 */
package io.busbar.connectors.opcua;
