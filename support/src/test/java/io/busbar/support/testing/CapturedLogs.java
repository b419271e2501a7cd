package io.busbar.support.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What a test's code logged, for tests that assert on warnings an operator reads. Register with
 * {@code @RegisterExtension}; captures the root logger by default, or one logger ({@link #of(Class)}),
 * from before each test until after it.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {

    private final String loggerName;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(String loggerName) {
        this.loggerName = loggerName;
    }

    /** Everything logged in the JVM while a test runs. */
    public static CapturedLogs all() {
        return new CapturedLogs(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** What one class logs while a test runs. */
    public static CapturedLogs of(Class<?> type) {
        return new CapturedLogs(type.getName());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        appender.start();
        logger().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger().detachAppender(appender);
        appender.stop();
    }

    /** The events at {@code level}, or all when null, in the order logged. */
    public List<ILoggingEvent> events(Level level) {
        synchronized (appender) { // the appender appends while holding its own lock
            return appender.list.stream().filter(e -> level == null || e.getLevel() == level).toList();
        }
    }

    /** The formatted messages at {@code level}, or all when null. */
    public List<String> messages(Level level) {
        return events(level).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private Logger logger() {
        return (Logger) LoggerFactory.getLogger(loggerName);
    }
}
