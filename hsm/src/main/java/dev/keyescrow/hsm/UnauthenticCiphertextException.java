package dev.keyescrow.hsm;

/**
 * An AES-GCM ciphertext did not authenticate: altered bytes, another key, another IV or
 * another AAD. The token is healthy (checked separately); the input is what is wrong.
 */
public class UnauthenticCiphertextException extends HsmException {
    public UnauthenticCiphertextException(String message) {
        super(message);
    }
}
