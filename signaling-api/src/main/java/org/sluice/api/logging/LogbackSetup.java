package org.sluice.api.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.sluice.api.config.LogSettings;

/**
 * Replaces Logback's configuration (the packaged {@code logback.xml}: text at INFO) with the server's
 * {@link LogSettings}: the root level, per-logger levels, and one text line or one JSON object (Logback's
 * {@link JsonEncoder}) per event, on standard output.
 */
public final class LogbackSetup {

    /** The text layout: time, level, thread, logger, message. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    private LogbackSetup() {
    }

    /** Logs to standard output as {@code settings} say; returns false if SLF4J is bound to another backend. */
    public static boolean apply(LogSettings settings) {
        return apply(settings, null);
    }

    /**
     * As {@link #apply(LogSettings)}, writing to {@code target} instead of standard output when it is not null
     * (tests).
     */
    public static boolean apply(LogSettings settings, OutputStream target) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return false;
        }
        context.reset();
        Encoder<ILoggingEvent> encoder = encoder(settings.format(), context);
        OutputStreamAppender<ILoggingEvent> appender;
        if (target == null) {
            appender = new ConsoleAppender<>();
        } else {
            appender = new OutputStreamAppender<>();
            appender.setOutputStream(target);
        }
        appender.setContext(context);
        appender.setName("sluice-" + settings.format().name().toLowerCase(java.util.Locale.ROOT));
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        root.addAppender(appender);
        for (Map.Entry<String, String> named : settings.loggerLevels().entrySet()) {
            context.getLogger(named.getKey()).setLevel(Level.toLevel(named.getValue(), Level.INFO));
        }
        return true;
    }

    private static Encoder<ILoggingEvent> encoder(LogSettings.Format format, LoggerContext context) {
        if (format == LogSettings.Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
