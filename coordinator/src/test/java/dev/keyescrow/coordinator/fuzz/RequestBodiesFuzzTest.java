package dev.keyescrow.coordinator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.coordinator.http.dto.CountersignatureBody;
import dev.keyescrow.coordinator.http.dto.CustodianBody;
import dev.keyescrow.coordinator.http.dto.DecryptBody;
import dev.keyescrow.coordinator.http.dto.EncryptBody;
import dev.keyescrow.coordinator.http.dto.ImportKeyBody;
import dev.keyescrow.coordinator.http.dto.KeyBody;
import dev.keyescrow.coordinator.http.dto.RequestBody;
import dev.keyescrow.coordinator.http.dto.SignBody;
import dev.keyescrow.server.http.StrictJson;
import java.util.Arrays;
import java.util.List;

/**
 * The body parser every coordinator route uses, driven directly (tens of thousands of inputs
 * a second where the HTTP targets manage hundreds): {@link StrictJson} reads each route's
 * body type or refuses with {@code BadJsonException}, which the API answers with a 400.
 *
 * <p>Input layout: the first byte picks the body type (modulo the list below), the rest is the body.
 */
class RequestBodiesFuzzTest {
    private static final List<Class<?>> BODIES = List.of(CustodianBody.class, KeyBody.class, ImportKeyBody.class,
            CountersignatureBody.class, RequestBody.class, EncryptBody.class, DecryptBody.class, SignBody.class);

    @FuzzTest
    void read(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Class<?> type = BODIES.get(Math.floorMod(input[0], BODIES.size()));
        try {
            StrictJson.read(Arrays.copyOfRange(input, 1, input.length), type);
        } catch (StrictJson.BadJsonException refused) {
            // a documented refusal
        }
    }
}
