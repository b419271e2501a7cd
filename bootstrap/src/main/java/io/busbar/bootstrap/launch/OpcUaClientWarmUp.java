package io.busbar.bootstrap.launch;

import io.busbar.bootstrap.config.CompiledConfig;
import org.eclipse.milo.opcua.sdk.client.ObjectTypeManager;
import org.eclipse.milo.opcua.sdk.client.VariableTypeManager;
import org.eclipse.milo.opcua.sdk.client.model.ObjectTypeInitializer;
import org.eclipse.milo.opcua.sdk.client.model.VariableTypeInitializer;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.encoding.OpcUaEncodingManager;
import org.eclipse.milo.opcua.stack.core.types.OpcUaDataTypeManager;

/**
 * Loads the Milo client's type tables on a background thread while Spring starts. The first
 * OPC UA client of the process registers a node class for every standard object and variable type
 * and a codec for every standard structure: ~1,200 classes, loaded and initialised on the path to
 * the first reading after the routes start (the "connected" log line came 1.5 s after "Started
 * BusbarCli" on an idle machine; issue 12). The client finds them initialised instead. Nothing
 * here has side effects outside this thread's own throwaway tables and Milo's process-wide
 * singletons, which the client creates the same way itself.
 */
public final class OpcUaClientWarmUp {

    private OpcUaClientWarmUp() {
    }

    /** Starts the warm-up if {@code config} has a source pair (uplinks alone use no OPC UA client). */
    public static void startFor(CompiledConfig config) {
        if (config.plan().pairs().isEmpty()) {
            return;
        }
        Thread thread = new Thread(OpcUaClientWarmUp::run, "busbar-opcua-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        try {
            OpcUaDataTypeManager.getInstance();
            OpcUaEncodingManager.getInstance();
            NamespaceTable namespaces = new NamespaceTable();
            ObjectTypeInitializer.initialize(namespaces, new ObjectTypeManager());
            VariableTypeInitializer.initialize(namespaces, new VariableTypeManager());
        } catch (RuntimeException | LinkageError e) {
            // only a head start: the client loads the same classes itself when it connects
        }
    }
}
