package dev.keyescrow.core.slip39;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The word list on the class path is the standard one, and the masked lookups agree with it. */
class WordListTest {
    private static List<String> testCopy() throws IOException {
        try (InputStream in = WordListTest.class.getResourceAsStream("/slip39/slip39-wordlist.txt")) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n"));
        }
    }

    @Test
    void everyWord_mapsToItsLineAndBack() throws IOException {
        List<String> words = testCopy();
        assertEquals(WordList.SIZE, words.size());
        List<String> failures = new ArrayList<>();
        char[] out = new char[WordList.MAX_WORD_LENGTH];
        for (int i = 0; i < words.size(); i++) {
            char[] word = words.get(i).toCharArray();
            int index = WordList.standard().indexOf(word, 0, word.length);
            int length = WordList.standard().write(i, out, 0);
            if (index != i || !new String(out, 0, length).equals(words.get(i))) {
                failures.add(words.get(i) + " -> " + index + ", " + i + " -> " + new String(out, 0, length));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void theListHasTheSpecifiedShape() throws IOException {
        List<String> words = testCopy();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            assertTrue(w.matches("[a-z]{4,8}"), w);
            assertTrue(i == 0 || words.get(i - 1).compareTo(w) < 0, "sorted at " + w);
            assertTrue(prefixes.add(w.substring(0, 4)), "unique 4-letter prefix: " + w);
        }
    }

    @Test
    void nearWordsAndLookalikes_areNotWords() {
        String[] notWords = {"acad", "academi", "academics", "abandon", "acid ", "ac1d", "a\u0161id", "\u0161cid",
            "acid\u0000", "", "ACIDx"};
        for (String text : notWords) {
            char[] chars = text.toCharArray();
            assertEquals(-1, WordList.standard().indexOf(chars, 0, chars.length), "\"" + text + "\"");
        }
        char[] upper = "AcId".toCharArray();
        assertEquals(1, WordList.standard().indexOf(upper, 0, upper.length));
    }
}
