package dev.keyescrow.cli.custodian;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A message a SIGN request asks the quorum to sign, as a custodian reads it: the text when it is
 * valid UTF-8 without control, zero-width or bidirectional-override characters (which could make
 * a terminal show something other than what is signed), its hex otherwise. The node's web page
 * applies the same rule.
 */
public final class MessageView {
    /** Control (but tab and newline), zero-width, bidi-override and BOM characters: shown as hex. */
    private static final Pattern HIDDEN = Pattern.compile(
            "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff]");

    private MessageView() {
    }

    /** "as text:" or "as hex:" and the value, indented for the request review. */
    public static String describe(int number, byte[] message) {
        String text = textOrNull(message);
        String kind = text == null ? "hex" : "text";
        String value = text == null ? HexFormat.of().formatHex(message) : text;
        return "  message " + number + "     " + message.length + " bytes, as " + kind + ":\n"
                + "    " + value.replace("\n", "\n    ") + "\n";
    }

    /** The message as text, or null if it is not printable UTF-8. */
    public static String textOrNull(byte[] message) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
            return HIDDEN.matcher(text).find() ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
