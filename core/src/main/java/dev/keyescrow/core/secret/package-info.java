/**
 * Types that hold secret material. Plaintext leaves them only through
 * {@link dev.keyescrow.core.secret.SecretAccess}, so {@code grep SecretAccess} lists every
 * place where plaintext is exposed. Depends on nothing but the JDK.
 */
package dev.keyescrow.core.secret;
