package dev.gan.util;

import com.fasterxml.jackson.core.JacksonException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonTest {

    @Test
    void aProblemIsJacksonsWordsAndWhereWithoutItsSourceDescription() {
        JacksonException e = catchThrowableOfType(() -> Json.MAPPER.readTree("{\"a\": [1, 2}"),
                JacksonException.class);

        String problem = Json.problem(e);

        assertThat(problem).isEqualTo("Unexpected close marker '}': expected ']' at line 1, column 12")
                .doesNotContain("Source:", "REDACTED", "\n");
    }

    @Test
    void anInputThatEndsEarlySaysSoWithoutTheStartMarkerDetails() {
        JacksonException e = catchThrowableOfType(() -> Json.MAPPER.readTree("{\n"), JacksonException.class);

        assertThat(Json.problem(e)).isEqualTo("Unexpected end-of-input: expected close marker for Object at line 2, "
                + "column 1");
    }
}
