package dev.gan.util;

/** Error text for one-line messages. */
public final class Messages {

    private Messages() {
    }

    /** The first line of a throwable's message, or its class name when it has none. */
    public static String firstLine(Throwable e) {
        return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    public static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
