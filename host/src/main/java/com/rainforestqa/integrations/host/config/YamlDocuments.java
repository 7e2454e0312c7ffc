package com.rainforestqa.integrations.host.config;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads YAML documents (plugin schemas, the event catalogue) as JSON values, keeping YAML's types: schema attributes
 * such as {@code required: true} must reach {@code GET /integrations} as JSON booleans, which Helidon's string-typed
 * config tree would lose.
 */
public final class YamlDocuments {
    private YamlDocuments() {
    }

    /**
     * Parses one YAML document with the safe constructor (no arbitrary types).
     *
     * @param yaml the document
     * @return the document as JSON
     * @throws IllegalArgumentException if the text is not valid YAML; the message says where
     */
    public static JsonValue parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        return toJson(document);
    }

    private static JsonValue toJson(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case Map<?, ?> map -> {
                JsonObjectBuilder object = Json.createObjectBuilder();
                map.forEach((key, member) -> object.add(String.valueOf(key), toJson(member)));
                yield object.build();
            }
            case List<?> list -> {
                JsonArrayBuilder array = Json.createArrayBuilder();
                list.forEach(element -> array.add(toJson(element)));
                yield array.build();
            }
            case Boolean bool -> bool ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer number -> Json.createValue(number);
            case Long number -> Json.createValue(number);
            case BigInteger number -> Json.createValue(number);
            case Double number when number.isNaN() || number.isInfinite() -> Json.createValue(number.toString());
            case Double number -> Json.createValue(BigDecimal.valueOf(number));
            default -> Json.createValue(value.toString());
        };
    }
}
