/**
 * An in-process power-monitoring SCADA server for demos and tests:
 * {@link io.busbar.connectors.opcua.simulator.SimulatedScadaServer}. Two instances behave like a
 * redundant pair because their values are a pure function of meter and second.
 */
package io.busbar.connectors.opcua.simulator;
