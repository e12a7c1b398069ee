package dev.gan.run;

/** Another live process trains in the same run directory. */
public class RunLockedException extends RuntimeException {
    public RunLockedException(String message) {
        super(message);
    }
}
