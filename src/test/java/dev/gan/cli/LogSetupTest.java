package dev.gan.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Logback as gan sets it up: quiet on the console but for warnings, gan's own INFO lines kept for the run log. */
class LogSetupTest {

    @Test
    void theConsoleShowsWarningsAndUpAndGansOwnInfoLinesReachItsLoggers() {
        LoggerContext context = new LoggerContext();
        new LogSetup().configure(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> console = root.getAppender(LogSetup.CONSOLE);
        assertThat(console).isNotNull();
        assertThat(console.isStarted()).isTrue();
        assertThat(console.getFilterChainDecision(event(context, "org.nd4j.Backend", Level.INFO)))
                .isEqualTo(FilterReply.DENY);
        assertThat(console.getFilterChainDecision(event(context, "org.nd4j.Backend", Level.WARN)))
                .isNotEqualTo(FilterReply.DENY);
        assertThat(context.getLogger("org.nd4j.Backend").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("dev.gan.train.TrainingRun").isInfoEnabled()).isTrue();
    }

    @Test
    void logbackFindsItAsAService() {
        assertThat(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(LogSetup.class);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(LogSetup.CONSOLE)).isNotNull();
    }

    private static ILoggingEvent event(LoggerContext context, String logger, Level level) {
        return new LoggingEvent(LogSetupTest.class.getName(), context.getLogger(logger), level, "message", null, null);
    }
}
