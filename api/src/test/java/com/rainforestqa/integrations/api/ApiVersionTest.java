package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionTest {
    @Test
    void majorAndMinorAreRead() {
        assertThat(ApiVersion.major("0.1")).isZero();
        assertThat(ApiVersion.minor("0.1")).isEqualTo(1);
        assertThat(ApiVersion.major("12.34.5")).isEqualTo(12);
        assertThat(ApiVersion.minor("12.34.5")).isEqualTo(34);
        assertThat(ApiVersion.minor(" 2 ")).isZero();
    }

    @Test
    void currentIsMajorDotMinor() {
        assertThat(ApiVersion.CURRENT).matches("\\d+\\.\\d+");
        assertThat(ApiVersion.minor(ApiVersion.CURRENT)).isNotNegative();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "0.", "0.1-beta", "0..1", "0.1.2.3", "0.x", ".1", "0.1234567890"})
    void malformedVersionsAreRefused(String version) {
        assertThatThrownBy(() -> ApiVersion.minor(version)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + version + "\" is not a version (major.minor)");
    }
}
