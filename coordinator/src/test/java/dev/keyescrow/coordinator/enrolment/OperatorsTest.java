package dev.keyescrow.coordinator.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Operators are recognised by the SHA-256 of their token only. */
class OperatorsTest {
    private final Operators operators = new Operators(List.of(new Operators.Operator("alice", Operators.hashOf("a-1")),
            new Operators.Operator("bob", Operators.hashOf("b-2"))));

    @Test
    void aKnownTokenNamesItsOperator_anythingElseNobody() {
        assertEquals(Optional.of("alice"), operators.authenticate("a-1"));
        assertEquals(Optional.of("bob"), operators.authenticate("b-2"));
        assertTrue(operators.authenticate("a-2").isEmpty());
        assertTrue(operators.authenticate("").isEmpty());
        assertTrue(operators.authenticate(null).isEmpty());
        assertTrue(operators.authenticate(Operators.hashOf("a-1")).isEmpty(), "the hash itself is not a token");
    }

    @Test
    void twoOperatorsWithOneToken_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Operators(List.of(
                new Operators.Operator("alice", Operators.hashOf("same")),
                new Operators.Operator("bob", Operators.hashOf("same")))));
        assertThrows(IllegalArgumentException.class, () -> new Operators.Operator("carol", "ABC"));
    }
}
