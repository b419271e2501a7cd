package io.busbar.bootstrap.launch;

import io.busbar.bootstrap.config.CompiledConfig;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.encoding.OpcUaEncodingManager;
import org.eclipse.milo.opcua.stack.core.types.OpcUaDataTypeManager;
import org.slf4j.LoggerFactory;

/**
 * Initialises Milo's process-wide state on a background thread while Spring starts, so that the
 * source pairs' first connect, which comes only after Camel has started the routes, does not wait
 * for it (issue 12). Only what exists once per process and is never built again: {@link Stack}'s
 * class initialiser, which reads the manifest of every jar on the class path for Milo's version and
 * so makes the JVM check the signatures of the signed BouncyCastle and Paho jars (~0.26 s of CPU
 * in a fresh JVM, 0.16 s of it the signatures, measured with 230 jars), and the data-type and
 * encoding managers, singletons of the standard structures' codecs. A connect that reaches them
 * first waits for the class initialisation in progress (the JVM's rule) instead of doing it again.
 * Unlike the warm-up removed after review (it ran the clients' type initialisers into throwaway
 * tables), nothing here is thrown away.
 *
 * <p>Started once Spring has set up logging (from the application's initializer): Milo's managers
 * log while they initialise, and a thread that logs while Spring resets logback's configuration made
 * logback print "No appenders present" on the console, a plain line among the JSON logs (a flaky
 * {@code JsonLogsIT}); before that, logback's default configuration would print its debug lines.
 */
public final class MiloStackInit {

    private MiloStackInit() {
    }

    /** Starts the initialisation if {@code config} has a source pair (uplinks alone use no OPC UA client). */
    public static void startFor(CompiledConfig config) {
        if (config.plan().pairs().isEmpty()) {
            return;
        }
        Thread thread = new Thread(MiloStackInit::run, "busbar-milo-init");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        try {
            Class.forName(Stack.class.getName(), true, MiloStackInit.class.getClassLoader());
            OpcUaDataTypeManager.getInstance();
            OpcUaEncodingManager.getInstance();
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // only a head start: the first connect runs the same initialisers and reports what fails
            LoggerFactory.getLogger(MiloStackInit.class).debug("Milo's stack was not initialised ahead: {}", e.toString());
        }
    }
}
