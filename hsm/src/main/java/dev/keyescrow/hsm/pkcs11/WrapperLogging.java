package dev.keyescrow.hsm.pkcs11;

import org.xipki.pkcs11.wrapper.Logger;
import org.xipki.pkcs11.wrapper.StaticLogger;

/**
 * Routes ipkcs11wrapper's own logging: warnings and errors go to {@link System.Logger}
 * with their message pattern only, everything else is dropped. The wrapper's info and
 * debug output includes token details and, at debug level, attribute templates; its
 * arguments are never forwarded, so no attribute value can reach a log line.
 */
final class WrapperLogging implements Logger {
    private static final System.Logger LOG = System.getLogger("dev.keyescrow.hsm.pkcs11.wrapper");
    private static volatile boolean installed;

    private WrapperLogging() {
    }

    static void install() {
        if (!installed) {
            StaticLogger.setLogger(new WrapperLogging());
            installed = true;
        }
    }

    @Override
    public void info(String format, Object... arguments) {
    }

    @Override
    public void warn(String format, Object... arguments) {
        LOG.log(System.Logger.Level.WARNING, "ipkcs11wrapper: " + format);
    }

    @Override
    public void error(String format, Object... arguments) {
        LOG.log(System.Logger.Level.ERROR, "ipkcs11wrapper: " + format);
    }

    @Override
    public void debug(String format, Object... arguments) {
    }

    @Override
    public void trace(String format, Object... arguments) {
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }
}
