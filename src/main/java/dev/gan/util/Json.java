package dev.gan.util;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.nio.file.Path;

/** The project's one JSON mapper: pretty, paths as plain strings, enums read in any case. */
public final class Json {

    public static final ObjectMapper MAPPER = create();
    /** Jackson's "(start marker at [Source: ...; line: 1, column: 1])" and "(for Array starting at [Source: ...])". */
    private static final java.util.regex.Pattern SOURCE_DESCRIPTION =
            java.util.regex.Pattern.compile("\\s*\\([^()\\[]*\\[Source:[^\\]]*\\]\\)");

    private Json() {
    }

    private static ObjectMapper create() {
        SimpleModule paths = new SimpleModule("paths");
        paths.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        paths.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return Path.of(p.getValueAsString());
            }
        });
        return JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(paths)
                .build();
    }

    /**
     * What is wrong with unreadable JSON, in one line for the user: Jackson's own words without its source
     * description, and where ("Unexpected end-of-input: expected close marker for Object at line 1, column 2").
     */
    public static String problem(JacksonException e) {
        String message = Messages.firstLine(e.getOriginalMessage() == null ? e.getClass().getSimpleName()
                : e.getOriginalMessage());
        message = SOURCE_DESCRIPTION.matcher(message).replaceAll("");
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? message
                : message + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** A JSON file that cannot be read as JSON: its message names the file and what is wrong where. */
    public static final class UnreadableException extends IOException {
        UnreadableException(Path file, JacksonException cause) {
            super(file + ": not readable JSON (" + problem(cause) + ")", cause);
        }
    }

    /** The JSON tree of {@code file}; damaged JSON is an {@link UnreadableException} naming the file. */
    public static JsonNode read(Path file) throws IOException {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new UnreadableException(file, e);
        }
    }

    /** One-line JSON, for {@code --json} output. */
    public static String compact(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
