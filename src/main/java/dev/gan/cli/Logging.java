package dev.gan.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Console verbosity and the per-run log file. The console shows warnings only (DL4J and ND4J are chatty);
 * {@code --verbose} shows everything at INFO and up. The project's own INFO lines always reach train.log.
 */
final class Logging {

    private Logging() {
    }

    static void setVerbose(boolean verbose) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        Appender<ILoggingEvent> console = root.getAppender(LogSetup.CONSOLE);
        if (console != null) {
            console.clearAllFilters();
            console.addFilter(LogSetup.threshold(verbose ? Level.INFO : Level.WARN));
        }
    }

    /** Sends the project's log lines to {@code file} (appending) until the returned handle is closed. */
    static AutoCloseable attachRunLog(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = LogSetup.encoder(context, "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("run-log");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger project = context.getLogger("dev.gan");
        project.addAppender(appender);
        return () -> {
            project.detachAppender(appender);
            appender.stop();
        };
    }
}
