package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sizes {@code escrow bench scale} measures at: ascending, within {@code --keys}, ending at it. */
class BenchScaleCommandTest {
    @Test
    void checkpointsEndAtTheNumberOfKeys() throws Exception {
        assertEquals(List.of(200, 1000), BenchScaleCommand.sizes(List.of(200, 1000), 1000));
        assertEquals(List.of(200, 1000), BenchScaleCommand.sizes(List.of(200), 1000));
        assertEquals(List.of(12), BenchScaleCommand.sizes(null, 12));
    }

    @Test
    void checkpointsOutOfOrderOrBeyondTheKeysAreBadInput() {
        assertThrows(BadInputException.class, () -> BenchScaleCommand.sizes(List.of(1000, 200), 1000));
        assertThrows(BadInputException.class, () -> BenchScaleCommand.sizes(List.of(200, 2000), 1000));
        assertThrows(BadInputException.class, () -> BenchScaleCommand.sizes(List.of(0), 1000));
    }
}
