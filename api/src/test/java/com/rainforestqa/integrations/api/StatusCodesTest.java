package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusCodesTest {
    @Test
    void timeoutsRateLimitsAndServerErrorsAreRetryable() {
        for (int status : new int[] {408, 425, 429, 500, 502, 503, 504, 599}) {
            assertThat(StatusCodes.isRetryable(status)).as("%d", status).isTrue();
            assertThat(StatusCodes.errorType(status)).as("%d", status).isEqualTo(ErrorType.TRANSIENT);
        }
        assertThat(StatusCodes.isRetryable(400)).isFalse();
        assertThat(StatusCodes.isRetryable(200)).isFalse();
    }

    @Test
    void redirectsAndRefusedCredentialsAreTheUsersToFix() {
        for (int status : new int[] {301, 302, 307, 401, 403, 404, 405, 410}) {
            assertThat(StatusCodes.errorType(status)).as("%d", status).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        }
    }

    @Test
    void otherRefusalsAreThePluginsBug() {
        for (int status : new int[] {400, 409, 413, 415, 422, 100}) {
            assertThat(StatusCodes.errorType(status)).as("%d", status)
                    .isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        }
    }

    @Test
    void aSuccessOrANonStatusIsNoError() {
        assertThatThrownBy(() -> StatusCodes.errorType(204)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a success is no error: 204");
        assertThatThrownBy(() -> StatusCodes.errorType(600)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an HTTP status code: 600");
    }
}
