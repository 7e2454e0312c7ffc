package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import java.io.StringReader;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void objectShapeIsRead() {
        Settings settings = Settings.fromJson(json("{\"url\": \"https://example.com/hook\", \"count\": 3}"));

        assertThat(settings.required("url")).isEqualTo("https://example.com/hook");
        assertThat(settings.optional("count")).contains("3");
        assertThat(settings.keys()).containsExactly("url", "count");
    }

    @Test
    void listShapeIsRead() {
        Settings settings = Settings.fromJson(json("[{\"key\": \"url\", \"value\": \"https://example.com\"},"
                + " {\"key\": \"room\", \"value\": null}]"));

        assertThat(settings.required("url")).isEqualTo("https://example.com");
        assertThat(settings.has("room")).isFalse();
    }

    @Test
    void emptyStringsAndNullsCountAsAbsent() {
        Settings settings = Settings.fromJson(json("{\"url\": \"\", \"token\": null}"));

        assertThat(settings.keys()).isEmpty();
        assertThatThrownBy(() -> settings.required("url"))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION))
                .hasMessage("required setting \"url\" is missing");
    }

    @Test
    void otherShapesAreRejectedWithoutEchoingValues() {
        assertThatThrownBy(() -> Settings.fromJson(json("\"s3cret\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Settings.fromJson(json("[{\"key\": \"a\", \"value\": \"x\"}, {\"key\": \"a\"}]")))
                .hasMessage("setting \"a\" is given twice");
        assertThatThrownBy(() -> Settings.fromJson(json("[{\"value\": \"s3cret\"}]")))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void toStringNamesKeysOnly() {
        Settings settings = Settings.fromJson(json("{\"url\": \"https://hooks.example/s3cret\"}"));

        assertThat(settings.toString()).isEqualTo("Settings[url]");
    }

    @Test
    void structuredValuesAreKeptAsJson() {
        Settings settings = Settings.fromJson(json("{\"oauth_settings\": {\"access_token\": \"t\"}}"));

        assertThat(settings.optional("oauth_settings")).isEmpty();
        assertThat(settings.json("oauth_settings")).get().hasToString("{\"access_token\":\"t\"}");
    }

    @Test
    void requiredUrlAcceptsAbsoluteHttpUrlsAndNamesOnlyTheKeyOtherwise() {
        Settings settings = Settings.fromJson(json("{\"url\": \" https://hooks.example.com/T/s3cret \","
                + " \"bad\": \"ftp://host/s3cret\", \"junk\": \"not a url s3cret\"}"));

        assertThat(settings.requiredUrl("url", "a hook")).hasToString("https://hooks.example.com/T/s3cret");
        for (String key : new String[] {"bad", "junk"}) {
            assertThatThrownBy(() -> settings.requiredUrl(key, "a hook URL"))
                    .isInstanceOfSatisfying(IntegrationException.class,
                            e -> assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR))
                    .hasMessage("setting \"" + key + "\" is not an absolute http(s) URL; expected a hook URL")
                    .hasNoCause();
        }
        assertThatThrownBy(() -> settings.requiredUrl("missing", "a hook"))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION));
    }

    static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }
}
